import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';

// ── Events ───────────────────────────────────────────────────────────────────
export const TownRegisteredSchema = z.object({
  townId: z.string().uuid(),
  code: z.string().min(1),
  name: z.string().min(1),
  registeredAt: z.string().datetime(),
});
export type TownRegistered = { type: 'TownRegistered'; data: z.infer<typeof TownRegisteredSchema> };

export const TownRenamedSchema = z.object({
  townId: z.string().uuid(),
  name: z.string().min(1),
  previousName: z.string().min(1),
  renamedAt: z.string().datetime(),
});
export type TownRenamed = { type: 'TownRenamed'; data: z.infer<typeof TownRenamedSchema> };

export const TownRetiredSchema = z.object({
  townId: z.string().uuid(),
  retiredAt: z.string().datetime(),
});
export type TownRetired = { type: 'TownRetired'; data: z.infer<typeof TownRetiredSchema> };

export type TownEvent = TownRegistered | TownRenamed | TownRetired;

export const townEvents = {
  TownRegistered: { schema: TownRegisteredSchema, version: 1 },
  TownRenamed: { schema: TownRenamedSchema, version: 1 },
  TownRetired: { schema: TownRetiredSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
// A retired town keeps its code and name: history and read models still refer to it.
export type RegisteredTown = { status: 'active' | 'retired'; townId: string; code: string; name: string };
export type TownState = { status: 'unregistered' } | RegisteredTown;

export const initialTownState = (): TownState => ({ status: 'unregistered' });

export function evolveTown(state: TownState, event: TownEvent): TownState {
  switch (event.type) {
    case 'TownRegistered':
      return { status: 'active', townId: event.data.townId, code: event.data.code, name: event.data.name };
    case 'TownRenamed':
      return state.status === 'unregistered' ? state : { ...state, name: event.data.name };
    case 'TownRetired':
      return state.status === 'unregistered' ? state : { ...state, status: 'retired' };
    default:
      return assertNever(event);
  }
}

export const townStreamId = (townId: string) => `town-${townId}`;
