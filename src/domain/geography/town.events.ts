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

export type TownEvent = TownRegistered;

export const townEvents = {
  TownRegistered: { schema: TownRegisteredSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
export type TownState =
  | { status: 'unregistered' }
  | { status: 'active'; townId: string; code: string; name: string };

export const initialTownState = (): TownState => ({ status: 'unregistered' });

export function evolveTown(state: TownState, event: TownEvent): TownState {
  switch (event.type) {
    case 'TownRegistered':
      return { status: 'active', townId: event.data.townId, code: event.data.code, name: event.data.name };
    default:
      return assertNever(event.type);
  }
}

export const townStreamId = (townId: string) => `town-${townId}`;
