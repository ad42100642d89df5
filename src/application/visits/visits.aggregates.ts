import { SCHEDULE_POLICY_STREAM, schedulePolicyDecider, schedulePolicyEvents } from '../../domain/visits/schedule-policy.events';
import { visitDecider, visitEvents, visitStreamId } from '../../domain/visits/visit';
import { defineAggregate } from '../aggregate';

export const visits = defineAggregate({ name: 'visit', streamId: visitStreamId, decider: visitDecider, catalog: visitEvents });
/** One stream for the whole county: handle it with the id `null`. */
export const schedulePolicies = defineAggregate({
  name: 'schedule policy',
  streamId: (_: null) => SCHEDULE_POLICY_STREAM,
  decider: schedulePolicyDecider,
  catalog: schedulePolicyEvents,
});
