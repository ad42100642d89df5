import { z } from 'zod';
import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolation } from '../shared/errors';
import type { EventCatalog } from '../shared/event-schemas';

/**
 * 乡镇临时救助备用金: each town holds a float the county tops up; emergency grants (先行救助)
 * draw on it. One stream per town holds the top-ups; the draws are the emergency grants
 * themselves (CaseDecided), so no payment is ever booked twice. The balance is a read model
 * over both, and `reserveBalance` below is the one rule that computes it.
 */
const Day = z.iso.date();
export const ReserveFundToppedUpSchema = z.object({
  townId: z.string().uuid(),
  topUpId: z.string().uuid(),
  fen: z.int().positive(),
  on: Day,
  /** The county's allocation document or voucher number. */
  reference: z.string().min(1).max(200),
  recordedAt: z.string().datetime(),
});
export type ReserveFundEvent = { type: 'ReserveFundToppedUp'; data: z.infer<typeof ReserveFundToppedUpSchema> };
export const reserveFundEvents = { ReserveFundToppedUp: { schema: ReserveFundToppedUpSchema, version: 1 } } satisfies EventCatalog;

export type ReserveFundCommand = {
  type: 'TopUp';
  data: { townId: string; topUpId: string; fen: number; on: string; reference: string; today: string; now: string };
};
export interface ReserveFundState {
  toppedUpFen: number;
  topUpIds: string[];
}

export const reserveFundDecider: Decider<ReserveFundCommand, ReserveFundEvent, ReserveFundState> = {
  initialState: () => ({ toppedUpFen: 0, topUpIds: [] }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'ReserveFundToppedUp':
        return { toppedUpFen: state.toppedUpFen + event.data.fen, topUpIds: [...state.topUpIds, event.data.topUpId] };
      default:
        return assertNever(event.type);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'TopUp': {
        const { today, now, ...d } = command.data;
        if (state.topUpIds.includes(d.topUpId)) return [];
        if (d.on > today) throw new DomainRuleViolation('reserve_fund.top_up_in_future', `拨付日期${d.on}晚于今天${today}`, { on: d.on, today });
        return [{ type: 'ReserveFundToppedUp', data: { ...d, recordedAt: now } }];
      }
      default:
        return assertNever(command.type);
    }
  },
};

export const reserveFundStreamId = (townId: string) => `reserve-fund-${townId}`;

export interface ReserveMovement {
  kind: 'top_up' | 'draw';
  fen: number;
  on: string;
}

/** Balance on a day: top-ups minus emergency grants dated on or before it (may be negative: an overdraft). */
export function reserveBalance(movements: readonly ReserveMovement[], asOf: string): { toppedUpFen: number; drawnFen: number; balanceFen: number } {
  let toppedUpFen = 0;
  let drawnFen = 0;
  for (const m of movements) {
    if (m.on > asOf) continue;
    if (m.kind === 'top_up') toppedUpFen += m.fen;
    else drawnFen += m.fen;
  }
  return { toppedUpFen, drawnFen, balanceFen: toppedUpFen - drawnFen };
}
