import { ageInYearsOn } from '../../calendar/working-days.iso-date';
import type { PolicyVersion } from '../policy/policy-version';
import type { ParentFacts, UnsupportedChildFacts } from './eligibility-facts';
import { PARENT_SITUATION_LABELS } from './eligibility-labels';
import { formatFen } from './eligibility-money';
import { DomainRuleViolation } from '../../shared/errors';
import { orphanPlacementCategory } from './eligibility-categories';
import { outcomeOf, type EligibilityResult, type RuleResult } from './eligibility-result';

/**
 * 孤儿: a child under the age limit whose parents are both dead or declared missing. The basic
 * living allowance is the same standard as for de-facto unsupported children (the national rule
 * sets that one by reference to the orphans' standard), so both read the one policy figure.
 */
export function evaluateOrphan(policy: PolicyVersion, decisionDate: string, facts: UnsupportedChildFacts): EligibilityResult {
  const absent = new Set<string>(policy.unsupportedChild.absenceSituations);
  const limit = policy.unsupportedChild.childAgeBelow;
  const age = ageInYearsOn(facts.child.birthDate, decisionDate);
  const ageOk = age >= 0 && age < limit;
  const parent = (id: string, who: { zh: string; en: string }, p: ParentFacts): RuleResult => {
    const passed = absent.has(p.situation);
    const label = PARENT_SITUATION_LABELS[p.situation];
    return {
      id,
      passed,
      reason: {
        zh: `${who.zh}${label.zh}，${passed ? '属于' : '不属于'}死亡或宣告失踪`,
        en: `the ${who.en} is ${label.en}: ${passed ? '' : 'not '}dead or declared missing`,
      },
      inputs: { situation: p.situation, absenceSituations: [...policy.unsupportedChild.absenceSituations] },
    };
  };
  const rules: RuleResult[] = [
    {
      id: 'orphan.child_age_below_limit',
      passed: ageOk,
      reason: {
        zh: `儿童${decisionDate}时${age}周岁（${facts.child.birthDate}出生），${ageOk ? '未满' : '已满'}${limit}周岁`,
        en: `the child is ${age} on ${decisionDate} (born ${facts.child.birthDate}), ${ageOk ? 'under' : 'not under'} ${limit}`,
      },
      inputs: { birthDate: facts.child.birthDate, decisionDate, ageInYears: age, childAgeBelow: limit },
    },
    parent('orphan.father_dead_or_missing', { zh: '父亲', en: 'father' }, facts.father),
    parent('orphan.mother_dead_or_missing', { zh: '母亲', en: 'mother' }, facts.mother),
  ];
  const outcome = outcomeOf(rules);
  const result: EligibilityResult = { program: 'orphan', decisionDate, policyVersionId: policy.id, outcome, rules };
  if (outcome === 'eligible' && policy.orphanStandards) {
    // 集中/散居: the county sets two standards; the placement recorded with the facts picks one.
    if (!facts.placement) {
      throw new DomainRuleViolation(
        'eligibility.orphan_placement_missing',
        'the policy sets orphans’ standards by placement: record whether the child is 集中供养 or 散居',
        { field: 'placement' },
      );
    }
    const monthlyFen = facts.placement === 'institution' ? policy.orphanStandards.institutionMonthlyFen : policy.orphanStandards.scatteredMonthlyFen;
    result.category = orphanPlacementCategory(facts.placement, monthlyFen);
    result.amount = {
      monthlyFen,
      computation: {
        formula: 'monthly = orphan standard for the placement',
        values: { placement: facts.placement, monthlyFen },
        zh: `按${result.category.label}基本生活保障标准${formatFen(monthlyFen)}元/月`,
        en: `the orphans' standard for a child ${facts.placement === 'institution' ? 'in an institution' : 'living scattered'}: CNY ${formatFen(monthlyFen)}/month`,
      },
    };
  } else if (outcome === 'eligible') {
    const monthlyFen = policy.unsupportedChild.monthlyAllowanceFen;
    result.amount = {
      monthlyFen,
      computation: {
        formula: 'monthly = policy monthly allowance',
        values: { monthlyAllowanceFen: monthlyFen, monthlyFen },
        zh: `按政策孤儿基本生活费标准${formatFen(monthlyFen)}元/月`,
        en: `the policy's basic living allowance of CNY ${formatFen(monthlyFen)}/month`,
      },
    };
  }
  return result;
}
