import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { IsoDateSchema } from '../workforce/period';
import { emptyChecklist, StandardItemSchema, type StandardChecklist } from './standard';

/** 镇级社工站 (one per town) or 村(社区)服务点 (one per village or community). */
export const StationKindSchema = z.enum(['town_station', 'service_point']);
export type StationKind = z.infer<typeof StationKindSchema>;

/** The unit a station serves; the kind of station follows from it. */
export const StationUnitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('town'), townId: z.string().uuid() }),
  z.object({ kind: z.literal('village'), villageId: z.string().uuid() }),
]);
export type StationUnit = z.infer<typeof StationUnitSchema>;

// ── Events ───────────────────────────────────────────────────────────────────
export const StationPlannedSchema = z.object({
  stationId: z.string().uuid(),
  kind: StationKindSchema,
  unit: StationUnitSchema,
  name: z.string().min(1),
  plannedAt: z.string().datetime(),
});
export type StationPlanned = { type: 'StationPlanned'; data: z.infer<typeof StationPlannedSchema> };

export const StandardItemMetSchema = z.object({
  stationId: z.string().uuid(),
  item: StandardItemSchema,
  note: z.string(),
  metOn: IsoDateSchema,
  recordedAt: z.string().datetime(),
});
export type StandardItemMet = { type: 'StandardItemMet'; data: z.infer<typeof StandardItemMetSchema> };

export const StandardItemUnmetSchema = z.object({
  stationId: z.string().uuid(),
  item: StandardItemSchema,
  note: z.string(),
  recordedAt: z.string().datetime(),
});
export type StandardItemUnmet = { type: 'StandardItemUnmet'; data: z.infer<typeof StandardItemUnmetSchema> };

export const StationOpenedSchema = z.object({
  stationId: z.string().uuid(),
  openedOn: IsoDateSchema,
  openedAt: z.string().datetime(),
});
export type StationOpened = { type: 'StationOpened'; data: z.infer<typeof StationOpenedSchema> };

export const StationRatedQualitySchema = z.object({
  stationId: z.string().uuid(),
  ratedOn: IsoDateSchema,
  note: z.string(),
  ratedAt: z.string().datetime(),
});
export type StationRatedQuality = { type: 'StationRatedQuality'; data: z.infer<typeof StationRatedQualitySchema> };

export type StationEvent = StationPlanned | StandardItemMet | StandardItemUnmet | StationOpened | StationRatedQuality;

export const stationEvents = {
  StationPlanned: { schema: StationPlannedSchema, version: 1 },
  StandardItemMet: { schema: StandardItemMetSchema, version: 1 },
  StandardItemUnmet: { schema: StandardItemUnmetSchema, version: 1 },
  StationOpened: { schema: StationOpenedSchema, version: 1 },
  StationRatedQuality: { schema: StationRatedQualitySchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
export type KnownStation = {
  status: 'planned' | 'operating';
  stationId: string;
  kind: StationKind;
  unit: StationUnit;
  checklist: StandardChecklist;
  /** 优质: only ever set on an operating town station. */
  quality: { ratedOn: string } | null;
};
export type StationState = { status: 'unplanned' } | KnownStation;

export const initialStationState = (): StationState => ({ status: 'unplanned' });

export function evolveStation(state: StationState, event: StationEvent): StationState {
  if (event.type === 'StationPlanned') {
    const { stationId, kind, unit } = event.data;
    return { status: 'planned', stationId, kind, unit, checklist: emptyChecklist(), quality: null };
  }
  if (state.status === 'unplanned') return state;
  switch (event.type) {
    case 'StandardItemMet':
      return { ...state, checklist: { ...state.checklist, [event.data.item]: { met: true, note: event.data.note, on: event.data.metOn } } };
    case 'StandardItemUnmet':
      return { ...state, checklist: { ...state.checklist, [event.data.item]: { met: false } } };
    case 'StationOpened':
      return { ...state, status: 'operating' };
    case 'StationRatedQuality':
      return { ...state, quality: { ratedOn: event.data.ratedOn } };
    default:
      return assertNever(event);
  }
}

export const stationStreamId = (stationId: string) => `station-${stationId}`;
