import { z } from 'zod';
import { DomainRuleViolation } from '../shared/errors';
import { DiagnosisCategorySchema, InjurySchema, MonitoringTypeSchema, StudentStatusSchema } from './observation';
import { SeveritySchema, SourceSchema, severityRank } from './vocabulary';
import { latestInForce } from '../shared/policy/policy-versions';

/**
 * Detection rules as versioned data with an effective date: thresholds, look-back periods,
 * dedupe windows, severities per cause, and task deadlines per severity. Never literals in code.
 *
 * - `windowDays`: the same person and cause within this many days of a finding raises no second
 *   finding; a higher severity within it escalates the finding instead.
 * - `lookbackDays`: an observation dated longer ago than this is recorded but raises nothing.
 */
const Days = z.int().min(1).max(3650);
const Window = { windowDays: Days, lookbackDays: Days };

/** Ascending amounts; each tier at least as severe as the one below. */
const Tiers = z
  .array(z.object({ fromFen: z.int().positive(), severity: SeveritySchema }))
  .min(1)
  .refine(
    (tiers) => tiers.every((t, i) => i === 0 || (t.fromFen > tiers[i - 1]!.fromFen && severityRank(t.severity) >= severityRank(tiers[i - 1]!.severity))),
    {
      message: 'tiers must rise in amount and never fall in severity',
    },
  );
export type Tier = z.infer<typeof Tiers>[number];

const EmergencyCause = z.object({ ...Window, lossTiers: Tiers, injurySeverity: z.partialRecord(InjurySchema, SeveritySchema) });

export const DetectionPolicySchema = z.object({
  version: z.int().min(1),
  effectiveFrom: z.iso.date(),
  /** Calendar days from a finding (or its escalation) to the task's deadline. */
  deadlineDays: z.object({ high: Days, medium: Days, low: Days }),
  illness: z.object({
    windowDays: Days,
    /** 因病: out-of-pocket medical costs summed over this many months… */
    outOfPocketMonths: z.int().min(1).max(36),
    /** …reaching a tier raise a finding of its severity. */
    outOfPocketTiers: Tiers,
    diagnosisLookbackDays: Days,
    diagnosisSeverity: z.partialRecord(DiagnosisCategorySchema, SeveritySchema),
  }),
  schooling: z.object({ ...Window, statusSeverity: z.partialRecord(StudentStatusSchema, SeveritySchema), schoolAidSeverity: SeveritySchema.nullable() }),
  /** 因残: a first certificate, or a more severe grade (lower number) than known, by its grade. */
  disability: z.object({ ...Window, gradeSeverity: z.object({ 1: SeveritySchema, 2: SeveritySchema, 3: SeveritySchema, 4: SeveritySchema }) }),
  disaster: EmergencyCause,
  accident: EmergencyCause,
  /** 防返贫 monitoring: a finding of the monitored risk cause, by monitoring type. */
  monitoring: z.object({ lookbackDays: Days, severityByType: z.partialRecord(MonitoringTypeSchema, SeveritySchema) }),
  /**
   * Someone not in the registry: a `person_found` finding when a rule fires for them, or always
   * for sources that list people at risk by definition (e.g. monitored households).
   */
  personFound: z.object({ windowDays: Days, severity: SeveritySchema, alwaysFromSources: z.array(SourceSchema) }),
});
export type DetectionPolicy = z.infer<typeof DetectionPolicySchema>;

/** The version in force on a day: the latest whose effective date is on or before it. */
export function detectionPolicyOn(versions: readonly DetectionPolicy[], day: string): DetectionPolicy {
  const inForce = latestInForce(versions, day);
  if (!inForce) throw new DomainRuleViolation('detection_policy.none_in_force', `no detection policy is in force on ${day}`, { day });
  return inForce;
}
