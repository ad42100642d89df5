import type { PolicyVersion } from '../policy/policy-version';
import type { TemporaryFacts } from './eligibility-facts';
import { HARDSHIP_CAUSE_LABELS } from './eligibility-labels';
import { formatFen } from './eligibility-money';
import { outcomeOf, type ApprovalLevel, type EligibilityResult, type RuleResult } from './eligibility-result';

/**
 * 临时救助: a sudden hardship of a cause the policy covers, that has happened by the decision
 * date. A request above the policy's maximum is not refused but granted the maximum (larger
 * needs are a county 一事一议 matter outside these rules). The granted amount decides who may
 * approve it: the town alone up to its limit, otherwise the county.
 */
export function evaluateTemporary(policy: PolicyVersion, decisionDate: string, facts: TemporaryFacts): EligibilityResult {
  const cause = HARDSHIP_CAUSE_LABELS[facts.cause];
  const covered = policy.temporary.qualifyingCauses.includes(facts.cause);
  const happened = facts.occurredOn <= decisionDate;
  const detail = facts.description === '' ? { zh: '', en: '' } : { zh: `（${facts.description}）`, en: ` (${facts.description})` };
  const rules: RuleResult[] = [
    {
      id: 'temporary.cause_qualifies',
      passed: covered,
      reason: {
        zh: `困难原因：${cause.zh}${detail.zh}，${covered ? '属于' : '不属于'}政策规定的临时救助情形`,
        en: `cause: ${cause.en}${detail.en}, ${covered ? 'covered' : 'not covered'} by the policy`,
      },
      inputs: { cause: facts.cause, qualifyingCauses: [...policy.temporary.qualifyingCauses] },
    },
    {
      id: 'temporary.hardship_occurred',
      passed: happened,
      reason: {
        zh: `困难发生于${facts.occurredOn}，${happened ? '不晚于' : '晚于'}决定日期${decisionDate}`,
        en: `the hardship occurred on ${facts.occurredOn}, ${happened ? 'on or before' : 'after'} the decision date ${decisionDate}`,
      },
      inputs: { occurredOn: facts.occurredOn, decisionDate },
    },
  ];
  const outcome = outcomeOf(rules);
  const result: EligibilityResult = { program: 'temporary', decisionDate, policyVersionId: policy.id, outcome, rules };
  if (outcome === 'eligible') {
    const { maxOneOffFen } = policy.temporary;
    const oneOffFen = Math.min(facts.requestedFen, maxOneOffFen);
    const capped = oneOffFen < facts.requestedFen;
    result.amount = {
      oneOffFen,
      computation: {
        formula: 'oneOff = min(requested, policy maximum)',
        values: { requestedFen: facts.requestedFen, maxOneOffFen, oneOffFen },
        zh: `申请${formatFen(facts.requestedFen)}元，政策上限${formatFen(maxOneOffFen)}元，${capped ? '按上限' : '按申请额'}给予${formatFen(oneOffFen)}元`,
        en: `requested CNY ${formatFen(facts.requestedFen)}, policy maximum CNY ${formatFen(maxOneOffFen)}: ${capped ? 'the maximum' : 'the request'}, CNY ${formatFen(oneOffFen)}, is granted`,
      },
    };
    result.approval = approvalLevel(policy, oneOffFen);
  }
  return result;
}

function approvalLevel(policy: PolicyVersion, oneOffFen: number): ApprovalLevel {
  const limit = policy.temporary.townApprovalLimitFen;
  const town = oneOffFen <= limit;
  return {
    level: town ? 'town' : 'county',
    reason: {
      zh: `救助金额${formatFen(oneOffFen)}元${town ? '未超过' : '超过'}乡镇审批额度${formatFen(limit)}元，${town ? '由乡镇审批' : '报县级审批'}`,
      en: `CNY ${formatFen(oneOffFen)} is ${town ? 'within' : 'above'} the town's approval limit of CNY ${formatFen(limit)}: ${town ? 'the town approves' : 'the county approves'}`,
    },
    inputs: { oneOffFen, townApprovalLimitFen: limit },
  };
}
