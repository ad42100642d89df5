import { isRecent, type Rule } from './signal';

/**
 * 因残: a first disability certificate, or a more severe grade than known (grade 1 is the most
 * severe, so "higher" means a lower number). Known = the registry's grade and every certificate
 * seen before. The same or a milder grade raises nothing.
 */
export const disabilityRule: Rule = ({ observation, history, registeredDisabilityGrade, policy, today }) => {
  if (observation.kind !== 'disability_certificate') return [];
  const p = policy.disability;
  if (!isRecent(observation.observedOn, today, p.lookbackDays)) return [];
  const earlier = history.flatMap((o) => (o.kind === 'disability_certificate' ? [o.grade] : []));
  const known = [...earlier, ...(registeredDisabilityGrade === null ? [] : [registeredDisabilityGrade])];
  const mostSevereKnown = known.length ? Math.min(...known) : null;
  const grade = observation.grade as 1 | 2 | 3 | 4;
  const severity = p.gradeSeverity[grade];
  if (mostSevereKnown === null)
    return [{ cause: 'disability', severity, reasons: [`new disability certificate: ${observation.disabilityType}, grade ${grade}`] }];
  if (grade < mostSevereKnown)
    return [{ cause: 'disability', severity, reasons: [`disability grade raised from ${mostSevereKnown} to ${grade} (${observation.disabilityType})`] }];
  return [];
};
