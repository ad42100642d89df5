import { parseIsoDate } from '../../calendar/working-days.iso-date';
import { DomainRuleViolation } from '../../shared/errors';
import type { PolicyVersion } from './policy-version';

/**
 * The version in force on `date` for a county: the one with the latest `effectiveFrom` on or
 * before that date. The answer never depends on the order of `versions`; two versions of one
 * county starting the same day are ambiguous and refused rather than picked by position.
 */
export function policyVersionInForce(versions: readonly PolicyVersion[], countyCode: string, date: string): PolicyVersion {
  parseIsoDate(date); // dates are compared as text, which is only right for valid YYYY-MM-DD
  const started = versions.filter((v) => v.countyCode === countyCode && v.effectiveFrom <= date);
  if (started.length === 0) {
    throw new DomainRuleViolation('policy.none_in_force', `no policy version of county ${countyCode} is in force on ${date}`, { countyCode, date });
  }
  const latestStart = started.reduce((max, v) => (v.effectiveFrom > max ? v.effectiveFrom : max), started[0]!.effectiveFrom);
  const inForce = started.filter((v) => v.effectiveFrom === latestStart);
  const ids = [...new Set(inForce.map((v) => v.id))].sort();
  if (ids.length > 1) {
    throw new DomainRuleViolation('policy.ambiguous_version', `policy versions ${ids.join(', ')} of county ${countyCode} all take effect on ${latestStart}`, {
      countyCode,
      effectiveFrom: latestStart,
      versionIds: ids,
    });
  }
  return inForce[0]!;
}
