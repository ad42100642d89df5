import type { DetectionPolicy } from '../detection-policy';
import { maxSeverity, type RiskCause, type Severity, type Source } from '../vocabulary';
import type { Signal } from './signal';

export interface PersonFoundSignal {
  severity: Severity;
  indicatedCauses: RiskCause[];
  reasons: string[];
}

/**
 * Someone not in the registry becomes one `person_found` finding (not one per cause): the worker
 * first has to find and register the household. It carries the causes the rules saw.
 */
export function personFoundSignal(source: Source, signals: readonly Signal[], policy: DetectionPolicy): PersonFoundSignal | null {
  const p = policy.personFound;
  if (signals.length === 0 && !p.alwaysFromSources.includes(source)) return null;
  return {
    severity: signals.reduce<Severity>((s, signal) => maxSeverity(s, signal.severity), p.severity),
    indicatedCauses: signals.map((s) => s.cause),
    reasons: [`not in the household registry; listed by ${source.replaceAll('_', ' ')}`, ...signals.flatMap((s) => s.reasons)],
  };
}
