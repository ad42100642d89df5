import { z } from 'zod';
import { DomainRuleViolation } from '../shared/errors';
import { PeriodKindSchema, type Period } from './period';
import { latestInForce } from '../shared/policy/policy-versions';

/**
 * How workers are scored: versioned data with an effective date, never literals in code.
 * Weights are non-negative integers, used relative to their sum (20/20/20/40 = 1:1:1:2).
 * Thresholds are whole points on the 0–100 scale; a total at or above a threshold earns it.
 */
export const DIMENSIONS = ['discipline', 'attitude', 'knowledge', 'task_completion'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
/** The dimensions the evaluation committee enters; task completion comes from the event history. */
export const COMMITTEE_DIMENSIONS = ['discipline', 'attitude', 'knowledge'] as const;
export type CommitteeDimension = (typeof COMMITTEE_DIMENSIONS)[number];

/** Metric keys are open (snake_case): other modules add metric sources with new keys. */
export const MetricKeySchema = z.string().regex(/^[a-z][a-z0-9_]{1,49}$/);
const Weight = z.number().int().min(0).max(1000);

export const RATINGS = ['优秀', '合格', '不合格'] as const;
export type Rating = (typeof RATINGS)[number];

const PolicyFields = z.object({
  effectiveFrom: z.iso.date(),
  periodKinds: z.array(PeriodKindSchema).min(1),
  dimensions: z.object({ discipline: Weight, attitude: Weight, knowledge: Weight, task_completion: Weight }),
  taskMetrics: z.record(MetricKeySchema, Weight),
  ratings: z.object({ excellent: z.number().int().min(0).max(100), qualified: z.number().int().min(0).max(100) }),
  /** At most this share (whole percent, rounded down) of the rated workers of the county is 优秀. */
  excellentCapPercent: z.number().int().min(0).max(100).nullable(),
  /** A month's visit obligations count for a worker who held the group at least this many days of it. */
  minHeldDaysPerMonth: z.number().int().min(1).max(31),
});
type Fields = z.infer<typeof PolicyFields>;
const consistent = <S extends z.ZodType<Fields>>(schema: S) =>
  schema
    .refine((p) => p.ratings.excellent >= p.ratings.qualified, { message: 'the excellent threshold must be at or above the qualified one', path: ['ratings'] })
    .refine((p) => Object.values(p.dimensions).some((w) => w > 0), { message: 'at least one dimension needs a weight', path: ['dimensions'] });
/** A new version as submitted (the version number is assigned when it is added). */
export const ScoringPolicyInputSchema = consistent(PolicyFields);
export const ScoringPolicySchema = consistent(PolicyFields.extend({ version: z.number().int().min(1) }));
export type ScoringPolicy = z.infer<typeof ScoringPolicySchema>;

/**
 * The version that scores a period: the latest in force on the period's last day. A version
 * added later with an earlier effective date therefore changes live scores of that period,
 * which is why published scores are stored with the version they used.
 */
export function scoringPolicyFor(versions: readonly ScoringPolicy[], period: Period): ScoringPolicy {
  const inForce = latestInForce(versions, period.to);
  if (!inForce) throw new DomainRuleViolation('scoring_policy.none_in_force', `no scoring policy is in force on ${period.to}`, { period: period.id });
  if (!inForce.periodKinds.includes(period.kind)) {
    throw new DomainRuleViolation('scoring_policy.period_kind_not_scored', `scoring policy version ${inForce.version} does not score ${period.kind} periods`, {
      period: period.id,
      periodKinds: inForce.periodKinds,
    });
  }
  return inForce;
}
