import { assertNever } from '../../shared/decider';
import { DomainRuleViolation } from '../../shared/errors';
import type { PolicyVersion } from '../policy/policy-version';
import { evaluateDibao } from './eligibility-dibao';
import { EligibilityRequestSchema } from './eligibility-facts';
import type { EligibilityResult } from './eligibility-result';
import { evaluateTekun } from './eligibility-tekun';
import { evaluateTemporary } from './eligibility-temporary';
import { evaluateUnsupportedChild } from './eligibility-unsupported-child';
import { evaluateOrphan } from './eligibility-orphan';

/**
 * The one entry point decisions and the auditor's replay both call: facts + policy version →
 * each rule's result, the outcome, the amount. Pure and deterministic — no clock (the decision
 * date is an argument), no I/O, integers only, rules in a fixed order — so re-running a stored
 * decision gives the same result, byte for byte in canonical JSON.
 *
 * The request is validated (and defaults filled) here too, because a replay passes stored JSON.
 * The caller picks the policy version in force on the decision date (policyVersionInForce);
 * this function only refuses a version that had not yet taken effect.
 */
export function evaluateEligibility(policy: PolicyVersion, request: unknown): EligibilityResult {
  const parsed = EligibilityRequestSchema.safeParse(request);
  if (!parsed.success) {
    throw new DomainRuleViolation('eligibility.invalid_facts', 'the facts do not match the program', {
      errors: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    });
  }
  const req = parsed.data;
  const { decisionDate } = req;
  if (policy.effectiveFrom > decisionDate) {
    throw new DomainRuleViolation(
      'eligibility.policy_not_in_force',
      `policy version ${policy.id} takes effect on ${policy.effectiveFrom}, after the decision date ${decisionDate}`,
      {
        policyVersionId: policy.id,
        effectiveFrom: policy.effectiveFrom,
        decisionDate,
      },
    );
  }
  switch (req.program) {
    case 'dibao':
      return evaluateDibao(policy, decisionDate, req.facts);
    case 'tekun':
      return evaluateTekun(policy, decisionDate, req.facts);
    case 'unsupported_child':
      return evaluateUnsupportedChild(policy, decisionDate, req.facts);
    case 'orphan':
      return evaluateOrphan(policy, decisionDate, req.facts);
    case 'temporary':
      return evaluateTemporary(policy, decisionDate, req.facts);
    default:
      return assertNever(req);
  }
}
