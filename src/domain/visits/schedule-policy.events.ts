import { z } from 'zod';
import { versionedPolicyDecider } from '../shared/policy/policy-versions';
import type { EventCatalog } from '../shared/event-schemas';
import { SchedulePolicySchema, type SchedulePolicy } from './schedule-policy';

/** Schedule policy versions: one stream, append-only. A version is never changed once added. */
export const SchedulePolicyVersionAddedSchema = z.object({ policy: SchedulePolicySchema, addedAt: z.string().datetime() });
export type SchedulePolicyEvent = { type: 'SchedulePolicyVersionAdded'; data: z.infer<typeof SchedulePolicyVersionAddedSchema> };
export const schedulePolicyEvents = { SchedulePolicyVersionAdded: { schema: SchedulePolicyVersionAddedSchema, version: 1 } } satisfies EventCatalog;

export type AddSchedulePolicyVersion = { type: 'AddSchedulePolicyVersion'; data: { policy: Omit<SchedulePolicy, 'version'>; now: string } };
export type SchedulePolicyState = { versions: SchedulePolicy[] };

export const schedulePolicyDecider = versionedPolicyDecider<AddSchedulePolicyVersion, SchedulePolicyEvent, SchedulePolicy>(
  'SchedulePolicyVersionAdded',
  'schedule_policy',
);

export const SCHEDULE_POLICY_STREAM = 'schedule-policy';
