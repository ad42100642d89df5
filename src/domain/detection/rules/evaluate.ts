import { maxSeverity } from '../vocabulary';
import { disabilityRule } from './disability';
import { emergencyRule } from './emergency';
import { illnessRule } from './illness';
import { monitoringRule } from './monitoring';
import { schoolingRule } from './schooling';
import type { Rule, RuleInput, Signal } from './signal';

const RULES: readonly Rule[] = [illnessRule, schoolingRule, disabilityRule, emergencyRule, monitoringRule];

/** Every rule on one observation; signals of the same cause merge into one, at the highest severity. */
export function evaluateObservation(input: RuleInput): Signal[] {
  const byCause = new Map<Signal['cause'], Signal>();
  for (const signal of RULES.flatMap((rule) => rule(input))) {
    const seen = byCause.get(signal.cause);
    byCause.set(
      signal.cause,
      seen ? { cause: signal.cause, severity: maxSeverity(seen.severity, signal.severity), reasons: [...seen.reasons, ...signal.reasons] } : signal,
    );
  }
  return [...byCause.values()];
}
