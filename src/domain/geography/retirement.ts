import type { RuleId } from '../shared/rule-messages';
import { DomainRuleViolation } from '../shared/errors';

/**
 * A unit (town, village, group) that something still depends on cannot be retired. The
 * decider cannot read other streams, so the application layer looks the dependants up and
 * passes them in as labels, ideally `kind:id` (e.g. `village:<id>`, `station:<id>`,
 * `county-worker-link:<workerId>`); they come back verbatim in the 422 so the user can act.
 */
export function refuseRetirementWhileOpen(rule: RuleId, unit: string, unitId: string, openResponsibilities: readonly string[]): void {
  if (openResponsibilities.length === 0) return;
  throw new DomainRuleViolation(rule, `${unit} ${unitId} still has open responsibilities: ${openResponsibilities.join(', ')}`, {
    [`${unit}Id`]: unitId,
    openResponsibilities: [...openResponsibilities],
  });
}
