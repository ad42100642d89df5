import { z } from 'zod';
import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolation } from '../shared/errors';
import type { EventCatalog } from '../shared/event-schemas';
import { AtSchema, DaySchema, refuseFuture, UuidSchema } from './community-vocabulary';

/**
 * Mobilisable volunteers (可动员志愿者): the article counts 445 registered and 1,000+ who can be
 * mobilised. The difference is people an organisation (村委会, a school, a company, a party
 * branch) can call on without each registering. Each organisation reports how many such people
 * it has, as of a date; the latest count stands. Mobilisable = registered volunteers + the
 * latest count of every organisation. The counts must not include registered volunteers.
 */
export const MobilisableCountRecordedSchema = z.object({
  organisationId: UuidSchema,
  organisation: z.string().min(1),
  townId: UuidSchema.nullable(),
  count: z.number().int().min(0),
  asOf: DaySchema,
  note: z.string(),
  recordedAt: AtSchema,
});
export type MobilisableCountEvent = { type: 'MobilisableCountRecorded'; data: z.infer<typeof MobilisableCountRecordedSchema> };
export const mobilisableCountEvents = { MobilisableCountRecorded: { schema: MobilisableCountRecordedSchema, version: 1 } } satisfies EventCatalog;

export type MobilisableCountState = { latest: { count: number; asOf: string } | null };

export type RecordMobilisableCount = {
  type: 'RecordMobilisableCount';
  data: Omit<z.infer<typeof MobilisableCountRecordedSchema>, 'recordedAt'> & { today: string; now: string };
};

export function decideMobilisableCount(command: RecordMobilisableCount, state: MobilisableCountState): MobilisableCountEvent[] {
  switch (command.type) {
    case 'RecordMobilisableCount': {
      const { today, now, ...d } = command.data;
      refuseFuture('mobilisable.date_in_future', 'the count date', d.asOf, today);
      const latest = state.latest;
      // An older count arriving late would silently replace a newer one: refuse it.
      if (latest && d.asOf < latest.asOf)
        throw new DomainRuleViolation('mobilisable.out_of_order', `a count as of ${latest.asOf} is already recorded`, {
          latestAsOf: latest.asOf,
          asOf: d.asOf,
        });
      if (latest && latest.asOf === d.asOf && latest.count === d.count) return [];
      return [{ type: 'MobilisableCountRecorded', data: { ...d, recordedAt: now } }];
    }
    default:
      return assertNever(command.type);
  }
}

export const mobilisableCountDecider: Decider<RecordMobilisableCount, MobilisableCountEvent, MobilisableCountState> = {
  decide: decideMobilisableCount,
  evolve: (_state, event) => ({ latest: { count: event.data.count, asOf: event.data.asOf } }),
  initialState: () => ({ latest: null }),
};

export const mobilisableCountStreamId = (organisationId: string) => `mobilisable-count-${organisationId}`;
