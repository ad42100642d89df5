import { z } from 'zod';
import type { Decider } from '../shared/decider';
import { DomainRuleViolation } from '../shared/errors';
import type { EventCatalog } from '../shared/event-schemas';
import { PeriodIdSchema } from './period';

/**
 * Publishing freezes a period's scores: the event carries every worker's computed score and
 * the policy version used, so a later policy version (or new facts) changes nothing until the
 * committee publishes again (the next revision).
 */
export const ScoresPublishedSchema = z.object({
  period: PeriodIdSchema,
  revision: z.number().int().min(1),
  policyVersion: z.number().int().min(1),
  /** The facts were read as of this county day. */
  asOf: z.iso.date(),
  scores: z.array(z.record(z.string(), z.unknown())),
  publishedBy: z.string(),
  recordedAt: z.string().datetime(),
});
export type ScoresPublished = z.infer<typeof ScoresPublishedSchema>;
export type PublicationEvent = { type: 'ScoresPublished'; data: ScoresPublished };
export const publicationEvents = { ScoresPublished: { schema: ScoresPublishedSchema, version: 1 } } satisfies EventCatalog;

export type PublishScores = { type: 'PublishScores'; data: Omit<ScoresPublished, 'revision' | 'recordedAt'> & { periodClosed: boolean; now: string } };
export type PublicationState = { revision: number };

export const publicationDecider: Decider<PublishScores, PublicationEvent, PublicationState> = {
  initialState: () => ({ revision: 0 }),
  evolve: (state, event) => ({ revision: event.data.revision }),
  decide(command, state) {
    const { periodClosed, now, ...data } = command.data;
    // Scores of an open period still move with every visit: publishing them would freeze a guess.
    if (!periodClosed)
      throw new DomainRuleViolation('performance.period_open', `period ${data.period} has not ended yet; scores are published once it is closed`, {
        period: data.period,
      });
    return [{ type: 'ScoresPublished', data: { ...data, revision: state.revision + 1, recordedAt: now } }];
  },
};

export const publicationStreamId = (period: string) => `performance-publication-${period}`;
