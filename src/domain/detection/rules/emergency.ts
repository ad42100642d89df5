import { formatYuan } from '../money';
import { maxSeverity, type Severity } from '../vocabulary';
import { isRecent, tierFor, type Rule } from './signal';

/** 因灾 / 因意外: a recent disaster or accident whose loss reaches a tier, or whose injury the policy names. */
export const emergencyRule: Rule = ({ observation, policy, today }) => {
  if (observation.kind !== 'loss_event') return [];
  const cause = observation.eventKind;
  const p = policy[cause];
  if (!isRecent(observation.observedOn, today, p.lookbackDays)) return [];
  const reasons: string[] = [];
  let severity: Severity | null = null;
  const tier = tierFor(observation.lossFen, p.lossTiers);
  if (tier) {
    severity = tier.severity;
    reasons.push(`${cause} on ${observation.observedOn}: loss of ${formatYuan(observation.lossFen)} reaches ${formatYuan(tier.fromFen)}`);
  }
  const byInjury = p.injurySeverity[observation.injury];
  if (byInjury) {
    severity = severity ? maxSeverity(severity, byInjury) : byInjury;
    reasons.push(`${cause} on ${observation.observedOn}: injury ${observation.injury}`);
  }
  return severity ? [{ cause, severity, reasons }] : [];
};
