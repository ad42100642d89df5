import { addMonths } from '../days';
import { formatYuan } from '../money';
import type { ObservationOf } from '../observation';
import { isRecent, tierFor, type Rule, type Signal } from './signal';

/**
 * 因病: out-of-pocket medical costs summed over the policy's months (one amount per settlement,
 * the latest sent, so a corrected settlement is not counted twice) reaching a tier; or a recent
 * diagnosis of a category the policy names.
 */
export const illnessRule: Rule = ({ observation, history, policy, today }) => {
  const p = policy.illness;
  if (observation.kind === 'medical_cost') {
    const since = addMonths(today, -p.outOfPocketMonths);
    if (observation.observedOn <= since) return [];
    const bySettlement = new Map<string, number>();
    for (const o of [...history, observation]) {
      if (o.kind === 'medical_cost' && o.observedOn > since && o.observedOn <= today) bySettlement.set(o.settlementId, o.outOfPocketFen);
    }
    const total = [...bySettlement.values()].reduce((a, b) => a + b, 0);
    const tier = tierFor(total, p.outOfPocketTiers);
    if (!tier) return [];
    return [
      {
        cause: 'illness',
        severity: tier.severity,
        reasons: [`out-of-pocket medical costs of ${formatYuan(total)} in ${p.outOfPocketMonths} months reach ${formatYuan(tier.fromFen)}`],
      },
    ];
  }
  if (observation.kind === 'diagnosis') return diagnosisSignal(observation, p.diagnosisSeverity, p.diagnosisLookbackDays, today);
  return [];
};

function diagnosisSignal(
  o: ObservationOf<'diagnosis'>,
  severities: Partial<Record<typeof o.category, Signal['severity']>>,
  lookbackDays: number,
  today: string,
): Signal[] {
  const severity = severities[o.category];
  if (!severity || !isRecent(o.observedOn, today, lookbackDays)) return [];
  return [{ cause: 'illness', severity, reasons: [`diagnosed on ${o.observedOn}: ${o.category.replaceAll('_', ' ')}`] }];
}
