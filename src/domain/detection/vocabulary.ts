import { z } from 'zod';

/**
 * The closed vocabularies of proactive detection (大数据比对): which departments send data,
 * which causes of hardship a finding names, how severe it is, and how its task ends.
 */

/** 教体, 医保, 卫健, 残联, 乡村振兴, 应急管理. */
export const SOURCES = ['education', 'medical_insurance', 'health', 'disability_federation', 'rural_revitalization', 'emergency_management'] as const;
export const SourceSchema = z.enum(SOURCES);
export type Source = z.infer<typeof SourceSchema>;

/** 因病、因学、因残、因灾、因意外. */
export const RISK_CAUSES = ['illness', 'schooling', 'disability', 'disaster', 'accident'] as const;
export const RiskCauseSchema = z.enum(RISK_CAUSES);
export type RiskCause = z.infer<typeof RiskCauseSchema>;

/**
 * A finding's cause: one of the risks, or `person_found` — someone in another department's data
 * who is not in the household registry. Findings are deduplicated per person and cause.
 */
export const FINDING_CAUSES = [...RISK_CAUSES, 'person_found'] as const;
export const FindingCauseSchema = z.enum(FINDING_CAUSES);
export type FindingCause = z.infer<typeof FindingCauseSchema>;

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity);
export const maxSeverity = (a: Severity, b: Severity): Severity => (severityRank(a) >= severityRank(b) ? a : b);

/** How a task ends: visited and enrolled into assistance, referred to another agency, or no need. */
export const OutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('visited_enrolled'), applicationId: z.string().uuid() }),
  z.object({ kind: z.literal('referred'), agency: z.string().min(1).max(200) }),
  z.object({ kind: z.literal('no_need'), reason: z.string().min(1).max(2000) }),
]);
export type Outcome = z.infer<typeof OutcomeSchema>;
