import { addMonths, ageInYearsOn } from '../../calendar/working-days.iso-date';
import type { PolicyVersion } from '../policy/policy-version';
import type { ParentFacts, UnsupportedChildFacts } from './eligibility-facts';
import { PARENT_SITUATION_LABELS } from './eligibility-labels';
import { formatFen } from './eligibility-money';
import { outcomeOf, type Bilingual, type EligibilityResult, type RuleResult } from './eligibility-result';

/**
 * 事实无人抚养儿童: both parents each unable to raise the child (incapacitated), or one dead or
 * declared missing and the other incapacitated. Each parent gets a rule (is this parent out of
 * the picture?), and a third rule requires at least one incapacitated parent: two absent
 * parents make an orphan (孤儿), which is another program.
 */
type ParentStatus = 'incapacitated' | 'absent' | 'too_recent' | 'able';

export function evaluateUnsupportedChild(policy: PolicyVersion, decisionDate: string, facts: UnsupportedChildFacts): EligibilityResult {
  const father = assessParent(policy, decisionDate, facts.father);
  const mother = assessParent(policy, decisionDate, facts.mother);
  const rules: RuleResult[] = [
    childAge(policy, decisionDate, facts),
    parentRule('unsupported_child.father_situation', { zh: '父亲', en: 'father' }, facts.father, father),
    parentRule('unsupported_child.mother_situation', { zh: '母亲', en: 'mother' }, facts.mother, mother),
    combination(father.status, mother.status),
  ];
  const outcome = outcomeOf(rules);
  const result: EligibilityResult = { program: 'unsupported_child', decisionDate, policyVersionId: policy.id, outcome, rules };
  if (outcome === 'eligible') {
    const monthlyFen = policy.unsupportedChild.monthlyAllowanceFen;
    result.amount = {
      monthlyFen,
      computation: {
        formula: 'monthly = policy monthly allowance',
        values: { monthlyAllowanceFen: monthlyFen, monthlyFen },
        zh: `按政策基本生活补贴标准${formatFen(monthlyFen)}元/月`,
        en: `the policy's basic living allowance of CNY ${formatFen(monthlyFen)}/month`,
      },
    };
  }
  return result;
}

function childAge(policy: PolicyVersion, decisionDate: string, facts: UnsupportedChildFacts): RuleResult {
  const limit = policy.unsupportedChild.childAgeBelow;
  const age = ageInYearsOn(facts.child.birthDate, decisionDate);
  const passed = age >= 0 && age < limit;
  return {
    id: 'unsupported_child.child_age_below_limit',
    passed,
    reason: {
      zh: `儿童${decisionDate}时${age}周岁（${facts.child.birthDate}出生），${passed ? '未满' : '已满'}${limit}周岁`,
      en: `the child is ${age} on ${decisionDate} (born ${facts.child.birthDate}), ${passed ? 'under' : 'not under'} ${limit}`,
    },
    inputs: { birthDate: facts.child.birthDate, decisionDate, ageInYears: age, childAgeBelow: limit },
  };
}

interface ParentAssessment {
  status: ParentStatus;
  /** The day a detention or loss of contact reaches the minimum duration, when one is needed. */
  qualifiesFrom: string | null;
}

/**
 * Detention and loss of contact count only once they have lasted the minimum (6 months by
 * default): the situation must have started on or before decision date − 6 months, counted
 * with calendar months (started 2023-01-15 → counts from 2023-07-15, not a day earlier).
 */
function assessParent(policy: PolicyVersion, decisionDate: string, parent: ParentFacts): ParentAssessment {
  const p = policy.unsupportedChild;
  if (p.absenceSituations.includes(parent.situation)) return { status: 'absent', qualifiesFrom: null };
  if (!p.incapacitySituations.includes(parent.situation)) return { status: 'able', qualifiesFrom: null };
  if (!p.durationSituations.includes(parent.situation)) return { status: 'incapacitated', qualifiesFrom: null };
  if (parent.since === null) return { status: 'too_recent', qualifiesFrom: null };
  const qualifiesFrom = addMonths(parent.since, p.minimumDurationMonths);
  return { status: qualifiesFrom <= decisionDate ? 'incapacitated' : 'too_recent', qualifiesFrom };
}

function parentRule(id: string, who: Bilingual, parent: ParentFacts, assessment: ParentAssessment): RuleResult {
  const label = PARENT_SITUATION_LABELS[parent.situation];
  const since = parent.since === null ? { zh: '', en: '' } : { zh: `（自${parent.since}起）`, en: ` (since ${parent.since})` };
  const verdicts: Record<ParentStatus, Bilingual> = {
    incapacitated: { zh: '不能履行抚养义务', en: 'unable to raise the child' },
    absent: { zh: '属于父母一方死亡或失踪的情形', en: 'counts as the dead or missing parent' },
    too_recent:
      assessment.qualifiesFrom === null
        ? { zh: '未记录该情形的起始日期，无法认定持续时间', en: 'no start date recorded, so its duration cannot be established' }
        : {
            zh: `持续时间不足，至${assessment.qualifiesFrom}方满规定期限`,
            en: `has not lasted long enough; the minimum is reached on ${assessment.qualifiesFrom}`,
          },
    able: { zh: '不属于规定情形', en: 'not a qualifying situation' },
  };
  const verdict = verdicts[assessment.status];
  const passed = assessment.status === 'incapacitated' || assessment.status === 'absent';
  return {
    id,
    passed,
    reason: { zh: `${who.zh}：${label.zh}${since.zh}，${verdict.zh}`, en: `${who.en}: ${label.en}${since.en}, ${verdict.en}` },
    inputs: { situation: parent.situation, since: parent.since, status: assessment.status, qualifiesFrom: assessment.qualifiesFrom },
  };
}

function combination(father: ParentStatus, mother: ParentStatus): RuleResult {
  const passed = father === 'incapacitated' || mother === 'incapacitated';
  const bothAbsent = father === 'absent' && mother === 'absent';
  return {
    id: 'unsupported_child.parents_combination',
    passed,
    reason: passed
      ? {
          zh: '父母至少一方属于重残、重病、服刑在押等不能履行抚养义务的情形',
          en: 'at least one parent is incapacitated (disability, illness, detention, loss of contact…)',
        }
      : bothAbsent
        ? {
            zh: '父母均死亡或失踪，应按孤儿认定，不属于事实无人抚养儿童',
            en: 'both parents are dead or missing: an orphan case, not a de-facto unsupported child',
          }
        : { zh: '父母均不属于（或尚未满规定期限的）不能履行抚养义务情形', en: 'neither parent is incapacitated (for the required time)' },
    inputs: { father, mother },
  };
}
