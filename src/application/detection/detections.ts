import type { DetectionPolicy } from '../../domain/detection/detection-policy';
import { personFoundSignal } from '../../domain/detection/rules/person-found';
import type { Signal } from '../../domain/detection/rules/signal';
import type { FindingCause, RiskCause, Severity, Source } from '../../domain/detection/vocabulary';

export interface Detection {
  cause: FindingCause;
  severity: Severity;
  indicatedCauses: RiskCause[];
  reasons: string[];
  windowDays: number;
}

/**
 * What to raise for one row: a finding per cause for someone on the register; for someone not
 * on it, a single "person found" finding carrying the causes the rules saw.
 */
export function detectionsFor(source: Source, signals: readonly Signal[], matched: boolean, policy: DetectionPolicy): Detection[] {
  if (matched)
    return signals.map((s) => ({ cause: s.cause, severity: s.severity, indicatedCauses: [], reasons: s.reasons, windowDays: policy[s.cause].windowDays }));
  const found = personFoundSignal(source, signals, policy);
  return found ? [{ cause: 'person_found', ...found, windowDays: policy.personFound.windowDays }] : [];
}
