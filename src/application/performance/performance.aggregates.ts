import { assessmentDecider, assessmentEvents, assessmentStreamId } from '../../domain/performance/assessment.events';
import { publicationDecider, publicationEvents, publicationStreamId } from '../../domain/performance/publication.events';
import { SCORING_POLICY_STREAM, scoringPolicyDecider, scoringPolicyEvents } from '../../domain/performance/scoring-policy.events';
import { defineAggregate } from '../aggregate';

/** One stream for the whole county: handle it with the id `null`. */
export const scoringPolicies = defineAggregate({
  name: 'scoring policy',
  streamId: (_: null) => SCORING_POLICY_STREAM,
  decider: scoringPolicyDecider,
  catalog: scoringPolicyEvents,
});
/** One stream per worker and period. */
export const assessments = defineAggregate({
  name: 'assessment',
  streamId: (key: { workerId: string; period: string }) => assessmentStreamId(key.workerId, key.period),
  decider: assessmentDecider,
  catalog: assessmentEvents,
});
export const publications = defineAggregate({
  name: 'score publication',
  streamId: publicationStreamId,
  decider: publicationDecider,
  catalog: publicationEvents,
});
