import { z } from 'zod';
import type { Decider } from '../shared/decider';
import { DomainRuleViolation } from '../shared/errors';
import type { EventCatalog } from '../shared/event-schemas';
import { DetectionPolicySchema, type DetectionPolicy } from './detection-policy';

/** Detection policy versions: one stream, append-only; a version never changes once added. */
export const DetectionPolicyVersionAddedSchema = z.object({ policy: DetectionPolicySchema, addedAt: z.string().datetime() });
export type DetectionPolicyEvent = { type: 'DetectionPolicyVersionAdded'; data: z.infer<typeof DetectionPolicyVersionAddedSchema> };
export const detectionPolicyEvents = { DetectionPolicyVersionAdded: { schema: DetectionPolicyVersionAddedSchema, version: 1 } } satisfies EventCatalog;

export type AddDetectionPolicyVersion = { type: 'AddDetectionPolicyVersion'; data: { policy: Omit<DetectionPolicy, 'version'>; now: string } };
export type DetectionPolicyState = { versions: DetectionPolicy[] };

export const detectionPolicyDecider: Decider<AddDetectionPolicyVersion, DetectionPolicyEvent, DetectionPolicyState> = {
  initialState: () => ({ versions: [] }),
  evolve: (state, event) => ({ versions: [...state.versions, event.data.policy] }),
  decide(command, state) {
    const last = state.versions.at(-1);
    if (last && command.data.policy.effectiveFrom < last.effectiveFrom) {
      throw new DomainRuleViolation('detection_policy.effective_before_previous', `a new version must take effect on or after ${last.effectiveFrom}`, {
        previousEffectiveFrom: last.effectiveFrom,
      });
    }
    const policy = { ...command.data.policy, version: (last?.version ?? 0) + 1 };
    return [{ type: 'DetectionPolicyVersionAdded', data: { policy, addedAt: command.data.now } }];
  },
};

export const DETECTION_POLICY_STREAM = 'detection-policy';
