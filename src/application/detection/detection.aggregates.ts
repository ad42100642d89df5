import { dataImportDecider } from '../../domain/detection/data-import.decide';
import { dataImportEvents, dataImportStreamId } from '../../domain/detection/data-import.events';
import { DETECTION_POLICY_STREAM, detectionPolicyDecider, detectionPolicyEvents } from '../../domain/detection/detection-policy.events';
import { findingDecider } from '../../domain/detection/finding.decide';
import { findingEvents, findingStreamId } from '../../domain/detection/finding.events';
import type { FindingCause } from '../../domain/detection/vocabulary';
import { defineAggregate } from '../aggregate';

/** One stream for the whole county: handle it with the id `null`. */
export const detectionPolicies = defineAggregate({
  name: 'detection policy',
  streamId: (_: null) => DETECTION_POLICY_STREAM,
  decider: detectionPolicyDecider,
  catalog: detectionPolicyEvents,
});
export const dataImports = defineAggregate({ name: 'data import', streamId: dataImportStreamId, decider: dataImportDecider, catalog: dataImportEvents });
/** One stream per person and cause: a second detection of the same cause escalates the open finding. */
export const findings = defineAggregate({
  name: 'finding',
  streamId: (key: { cause: FindingCause; personId: string }) => findingStreamId(key.cause, key.personId),
  decider: findingDecider,
  catalog: findingEvents,
});
