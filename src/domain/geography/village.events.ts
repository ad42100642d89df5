import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';

/** 村 (rural village) or 社区 (urban community): same place in the grid, named differently. */
export const VillageKindSchema = z.enum(['village', 'community']);
export type VillageKind = z.infer<typeof VillageKindSchema>;

// ── Events ───────────────────────────────────────────────────────────────────
export const VillageRegisteredSchema = z.object({
  villageId: z.string().uuid(),
  townId: z.string().uuid(),
  kind: VillageKindSchema,
  code: z.string().min(1),
  name: z.string().min(1),
  registeredAt: z.string().datetime(),
});
export type VillageRegistered = { type: 'VillageRegistered'; data: z.infer<typeof VillageRegisteredSchema> };

export const VillageRenamedSchema = z.object({
  villageId: z.string().uuid(),
  name: z.string().min(1),
  previousName: z.string().min(1),
  renamedAt: z.string().datetime(),
});
export type VillageRenamed = { type: 'VillageRenamed'; data: z.infer<typeof VillageRenamedSchema> };

export const VillageRetiredSchema = z.object({
  villageId: z.string().uuid(),
  retiredAt: z.string().datetime(),
});
export type VillageRetired = { type: 'VillageRetired'; data: z.infer<typeof VillageRetiredSchema> };

export type VillageEvent = VillageRegistered | VillageRenamed | VillageRetired;

export const villageEvents = {
  VillageRegistered: { schema: VillageRegisteredSchema, version: 1 },
  VillageRenamed: { schema: VillageRenamedSchema, version: 1 },
  VillageRetired: { schema: VillageRetiredSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
export type RegisteredVillage = {
  status: 'active' | 'retired';
  villageId: string;
  townId: string;
  kind: VillageKind;
  code: string;
  name: string;
};
export type VillageState = { status: 'unregistered' } | RegisteredVillage;

export const initialVillageState = (): VillageState => ({ status: 'unregistered' });

export function evolveVillage(state: VillageState, event: VillageEvent): VillageState {
  switch (event.type) {
    case 'VillageRegistered': {
      const { villageId, townId, kind, code, name } = event.data;
      return { status: 'active', villageId, townId, kind, code, name };
    }
    case 'VillageRenamed':
      return state.status === 'unregistered' ? state : { ...state, name: event.data.name };
    case 'VillageRetired':
      return state.status === 'unregistered' ? state : { ...state, status: 'retired' };
    default:
      return assertNever(event);
  }
}

export const villageStreamId = (villageId: string) => `village-${villageId}`;
