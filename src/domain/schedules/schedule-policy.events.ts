import { z } from 'zod';
import type { Decider } from '../shared/decider';
import { DomainRuleViolation } from '../shared/errors';
import type { EventCatalog } from '../shared/event-schemas';
import { SchedulePolicySchema, type SchedulePolicy } from './schedule-policy';

/** Schedule policy versions: one stream, append-only. A version is never changed once added. */
export const SchedulePolicyVersionAddedSchema = z.object({ policy: SchedulePolicySchema, addedAt: z.string().datetime() });
export type SchedulePolicyEvent = { type: 'SchedulePolicyVersionAdded'; data: z.infer<typeof SchedulePolicyVersionAddedSchema> };
export const schedulePolicyEvents = { SchedulePolicyVersionAdded: { schema: SchedulePolicyVersionAddedSchema, version: 1 } } satisfies EventCatalog;

export type AddSchedulePolicyVersion = { type: 'AddSchedulePolicyVersion'; data: { policy: Omit<SchedulePolicy, 'version'>; now: string } };
export type SchedulePolicyState = { versions: SchedulePolicy[] };

export const schedulePolicyDecider: Decider<AddSchedulePolicyVersion, SchedulePolicyEvent, SchedulePolicyState> = {
  initialState: () => ({ versions: [] }),
  evolve: (state, event) => ({ versions: [...state.versions, event.data.policy] }),
  decide(command, state) {
    const last = state.versions.at(-1);
    if (last && command.data.policy.effectiveFrom < last.effectiveFrom) {
      throw new DomainRuleViolation('schedule_policy.effective_before_previous', `a new version must take effect on or after ${last.effectiveFrom}`, {
        previousEffectiveFrom: last.effectiveFrom,
      });
    }
    const policy = { ...command.data.policy, version: (last?.version ?? 0) + 1 };
    return [{ type: 'SchedulePolicyVersionAdded', data: { policy, addedAt: command.data.now } }];
  },
};

export const SCHEDULE_POLICY_STREAM = 'schedule-policy';
