import { caseDecider } from '../../domain/assistance/case.decide';
import { caseEvents, caseStreamId } from '../../domain/assistance/case.events';
import { CASE_PROCEDURE_POLICY_STREAM, caseProcedurePolicyDecider, caseProcedurePolicyEvents } from '../../domain/assistance/case-procedure-policy';
import { reserveFundDecider, reserveFundEvents, reserveFundStreamId } from '../../domain/assistance/reserve-fund';
import { officialDecider, officialEvents, officialStreamId } from '../../domain/assistance/official';
import { calendarStreamId, documentDecider, policyStreamId, registryEvents } from '../../domain/assistance/policy/policy-registry';
import { defineAggregate } from '../aggregate';

export const cases = defineAggregate({ name: 'case', streamId: caseStreamId, decider: caseDecider, catalog: caseEvents });
/** One stream for the whole county: handle it with the id `null`. */
export const caseProcedurePolicies = defineAggregate({
  name: 'case-procedure policy',
  streamId: (_: null) => CASE_PROCEDURE_POLICY_STREAM,
  decider: caseProcedurePolicyDecider,
  catalog: caseProcedurePolicyEvents,
});
/** Policy versions and working-day calendars share one decider (immutable documents), not their streams. */
export const policyDocuments = defineAggregate({ name: 'assistance policy', streamId: policyStreamId, decider: documentDecider, catalog: registryEvents });
export const calendarDocuments = defineAggregate({
  name: 'working-day calendar',
  streamId: calendarStreamId,
  decider: documentDecider,
  catalog: registryEvents,
});
export const officials = defineAggregate({ name: 'official', streamId: officialStreamId, decider: officialDecider, catalog: officialEvents });
export const reserveFunds = defineAggregate({ name: 'reserve fund', streamId: reserveFundStreamId, decider: reserveFundDecider, catalog: reserveFundEvents });
