import { z } from 'zod';
import type { Decider } from '../shared/decider';
import { DomainRuleViolation } from '../shared/errors';
import type { EventCatalog } from '../shared/event-schemas';
import { ScoringPolicySchema, type ScoringPolicy } from './scoring-policy';

/** Scoring policy versions: one append-only stream, like the schedule policy. */
export const ScoringPolicyVersionAddedSchema = z.object({ policy: ScoringPolicySchema, addedAt: z.string().datetime() });
export type ScoringPolicyEvent = { type: 'ScoringPolicyVersionAdded'; data: z.infer<typeof ScoringPolicyVersionAddedSchema> };
export const scoringPolicyEvents = { ScoringPolicyVersionAdded: { schema: ScoringPolicyVersionAddedSchema, version: 1 } } satisfies EventCatalog;

export type AddScoringPolicyVersion = { type: 'AddScoringPolicyVersion'; data: { policy: Omit<ScoringPolicy, 'version'>; now: string } };
export type ScoringPolicyState = { versions: ScoringPolicy[] };

export const scoringPolicyDecider: Decider<AddScoringPolicyVersion, ScoringPolicyEvent, ScoringPolicyState> = {
  initialState: () => ({ versions: [] }),
  evolve: (state, event) => ({ versions: [...state.versions, event.data.policy] }),
  decide(command, state) {
    const last = state.versions.at(-1);
    if (last && command.data.policy.effectiveFrom < last.effectiveFrom) {
      throw new DomainRuleViolation('scoring_policy.effective_before_previous', `a new version must take effect on or after ${last.effectiveFrom}`, { previousEffectiveFrom: last.effectiveFrom });
    }
    const policy = { ...command.data.policy, version: (last?.version ?? 0) + 1 };
    return [{ type: 'ScoringPolicyVersionAdded', data: { policy, addedAt: command.data.now } }];
  },
};

export const SCORING_POLICY_STREAM = 'scoring-policy';
