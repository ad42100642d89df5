import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { IsoDateSchema } from './period';

/*
 * 老带新: an experienced worker mentors a new one for a period. A pair is its own small
 * aggregate: it belongs to two workers equally, and the coverage totals count pairs.
 */

// ── Events ───────────────────────────────────────────────────────────────────
export const MentoringPairFormedSchema = z.object({
  pairId: z.string().uuid(),
  mentorId: z.string().uuid(),
  menteeId: z.string().uuid(),
  from: IsoDateSchema,
  to: IsoDateSchema.nullable(),
  formedAt: z.string().datetime(),
});
export type MentoringPairFormed = { type: 'MentoringPairFormed'; data: z.infer<typeof MentoringPairFormedSchema> };

export const MentoringPairEndedSchema = z.object({
  pairId: z.string().uuid(),
  to: IsoDateSchema,
  endedAt: z.string().datetime(),
});
export type MentoringPairEnded = { type: 'MentoringPairEnded'; data: z.infer<typeof MentoringPairEndedSchema> };

export type MentoringPairEvent = MentoringPairFormed | MentoringPairEnded;

export const mentoringPairEvents = {
  MentoringPairFormed: { schema: MentoringPairFormedSchema, version: 1 },
  MentoringPairEnded: { schema: MentoringPairEndedSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
export type FormedMentoringPair = { status: 'formed'; pairId: string; mentorId: string; menteeId: string; from: string; to: string | null };
export type MentoringPairState = { status: 'unformed' } | FormedMentoringPair;

export const initialMentoringPairState = (): MentoringPairState => ({ status: 'unformed' });

export function evolveMentoringPair(state: MentoringPairState, event: MentoringPairEvent): MentoringPairState {
  switch (event.type) {
    case 'MentoringPairFormed': {
      const { pairId, mentorId, menteeId, from, to } = event.data;
      return { status: 'formed', pairId, mentorId, menteeId, from, to };
    }
    case 'MentoringPairEnded':
      return state.status === 'unformed' ? state : { ...state, to: event.data.to };
    default:
      return assertNever(event);
  }
}

export const mentoringPairStreamId = (pairId: string) => `mentoring-pair-${pairId}`;
