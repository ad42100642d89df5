import type { Decider } from '../decider';
import { DomainRuleViolation } from '../errors';

/**
 * Versioned rules (schedule, detection, scoring policies): the version in force on a day is the
 * latest whose effective date is on or before it; of two with the same date, the higher version.
 * Null when none is in force yet.
 */
export function latestInForce<T extends { effectiveFrom: string; version: number }>(versions: readonly T[], day: string): T | null {
  let best: T | null = null;
  for (const v of versions) {
    if (v.effectiveFrom > day) continue;
    if (!best || v.effectiveFrom > best.effectiveFrom || (v.effectiveFrom === best.effectiveFrom && v.version > best.version)) best = v;
  }
  return best;
}

/**
 * The decider of a versioned policy's one append-only stream: each new version gets the next
 * number and may not take effect before the previous one; a version never changes once added.
 * `rulePrefix` names the policy in the broken rule (`schedule_policy.effective_before_previous`).
 */
export function versionedPolicyDecider<
  Command extends { data: { policy: Omit<Policy, 'version'>; now: string } },
  Event extends { type: string; data: { policy: Policy; addedAt: string } },
  Policy extends { effectiveFrom: string; version: number },
>(eventType: Event['type'], rulePrefix: string): Decider<Command, Event, { versions: Policy[] }> {
  return {
    initialState: () => ({ versions: [] }),
    evolve: (state, event) => ({ versions: [...state.versions, event.data.policy] }),
    decide(command, state) {
      const last = state.versions.at(-1);
      if (last && command.data.policy.effectiveFrom < last.effectiveFrom) {
        throw new DomainRuleViolation(`${rulePrefix}.effective_before_previous`, `a new version must take effect on or after ${last.effectiveFrom}`, {
          previousEffectiveFrom: last.effectiveFrom,
        });
      }
      const policy = { ...command.data.policy, version: (last?.version ?? 0) + 1 } as Policy;
      return [{ type: eventType, data: { policy, addedAt: command.data.now } } as Event];
    },
  };
}
