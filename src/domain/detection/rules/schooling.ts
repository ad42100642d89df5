import { maxSeverity, type Severity } from '../vocabulary';
import { isRecent, type Rule } from './signal';

/** 因学: a student status the policy names (dropout, suspended…), or a student receiving school aid. */
export const schoolingRule: Rule = ({ observation, policy, today }) => {
  if (observation.kind !== 'school_status') return [];
  const p = policy.schooling;
  if (!isRecent(observation.observedOn, today, p.lookbackDays)) return [];
  let severity: Severity | null = null;
  const reasons: string[] = [];
  const byStatus = p.statusSeverity[observation.status];
  if (byStatus) {
    severity = byStatus;
    reasons.push(`student status on ${observation.observedOn}: ${observation.status}`);
  }
  if (observation.schoolAid && p.schoolAidSeverity) {
    severity = severity ? maxSeverity(severity, p.schoolAidSeverity) : p.schoolAidSeverity;
    reasons.push('receives school aid (家庭经济困难学生资助)');
  }
  return severity ? [{ cause: 'schooling', severity, reasons }] : [];
};
