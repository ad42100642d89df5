import { z } from 'zod';
import { DomainRuleViolation } from '../shared/errors';
import { SpecialGroupSchema } from '../households/person';
import { latestInForce } from '../shared/policy/policy-versions';

/**
 * When visits and reviews are due: versioned data with an effective date, never literals in code.
 * 一月一走访: every group and every household in the listed special groups each calendar month.
 * 半年核对应: enrolled beneficiaries reviewed every 6 months (unstable income, able to work) or 12.
 */
export const SchedulePolicySchema = z.object({
  version: z.number().int().min(1),
  effectiveFrom: z.iso.date(),
  monthlyVisit: z.object({
    everyGroup: z.boolean(),
    specialGroups: z.array(SpecialGroupSchema),
  }),
  dynamicReview: z.object({
    /** Groups whose households are enrolled beneficiaries, due a dynamic review. */
    beneficiaryGroups: z.array(SpecialGroupSchema),
    unstableAbleToWorkMonths: z.number().int().min(1).max(24),
    otherMonths: z.number().int().min(1).max(24),
    /** Groups always on the long interval (特困). */
    longIntervalGroups: z.array(SpecialGroupSchema),
  }),
  backdateWindowDays: z.number().int().min(0).max(90),
  /** How many completed months back the overdue list looks for missed monthly visits. */
  overdueLookbackMonths: z.number().int().min(1).max(24),
});
export type SchedulePolicy = z.infer<typeof SchedulePolicySchema>;

/** The version in force on a day: the latest whose effective date is on or before it. */
export function schedulePolicyOn(versions: readonly SchedulePolicy[], day: string): SchedulePolicy {
  const inForce = latestInForce(versions, day);
  if (!inForce) throw new DomainRuleViolation('schedule_policy.none_in_force', `no schedule policy is in force on ${day}`, { day });
  return inForce;
}
