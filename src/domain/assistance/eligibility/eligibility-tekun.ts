import { ageInYearsOn } from '../../calendar/working-days.iso-date';
import type { PolicyVersion } from '../policy/policy-version';
import type { TekunFacts } from './eligibility-facts';
import { countIncome } from './eligibility-income';
import { DISABILITY_LABELS, RESIDENCE_LABELS, SUPPORTER_INCAPACITY_LABELS, SUPPORTER_RELATION_LABELS } from './eligibility-labels';
import { describeRounding, divideRounded, formatFen } from './eligibility-money';
import type { TekunCare } from '../policy/assistance-standards';
import { DomainRuleViolation } from '../../shared/errors';
import { careGradeOf } from './eligibility-categories';
import { outcomeOf, type Amount, type EligibilityResult, type RuleResult } from './eligibility-result';

/**
 * 特困: all three conditions at once — no capacity to work, no source of living, no legal
 * supporter able to support. The amount is the policy's basic living standard, paid in full
 * (it is not a top-up of the person's income), divided into twelve with the policy's rounding.
 */
export function evaluateTekun(policy: PolicyVersion, decisionDate: string, facts: TekunFacts): EligibilityResult {
  const rules = [noCapacityToWork(policy, decisionDate, facts), noSourceOfLiving(policy, facts), noAbleSupporter(policy, facts)];
  const outcome = outcomeOf(rules);
  const result: EligibilityResult = { program: 'tekun', decisionDate, policyVersionId: policy.id, outcome, rules };
  if (outcome === 'eligible') {
    result.amount = tekunAmount(policy, facts);
    if (policy.tekunCare) {
      if (!facts.careAssessment) {
        throw new DomainRuleViolation(
          'eligibility.care_assessment_missing',
          'the policy sets 特困 care grades: record the self-care assessment (生活自理能力评估) with the facts',
          { field: 'careAssessment' },
        );
      }
      const { category, monthlyCareFen } = careGradeOf(policy.tekunCare as TekunCare, facts.careAssessment.activitiesUnable);
      result.category = category;
      result.amount = withCareAllowance(result.amount, category.label, monthlyCareFen);
    }
  }
  return result;
}

/** Age in completed years on the decision date, or a disability of a qualifying type and grade. */
function noCapacityToWork(policy: PolicyVersion, decisionDate: string, facts: TekunFacts): RuleResult {
  const { elderAgeFrom, minorAgeBelow, qualifyingDisabilities } = policy.tekun;
  const age = ageInYearsOn(facts.applicant.birthDate, decisionDate);
  const elder = age >= elderAgeFrom;
  const minor = age < minorAgeBelow;
  const qualifying = facts.applicant.disabilities.filter((d) => qualifyingDisabilities.some((q) => q.type === d.type && q.grades.includes(d.grade)));
  const passed = elder || minor || qualifying.length > 0;
  const disabilitiesZh = facts.applicant.disabilities.map((d) => `${DISABILITY_LABELS[d.type].zh}${d.grade}级`).join('、') || '无';
  const disabilitiesEn = facts.applicant.disabilities.map((d) => `${DISABILITY_LABELS[d.type].en} grade ${d.grade}`).join(', ') || 'none';
  const criteriaZh = `年满${elderAgeFrom}周岁、未满${minorAgeBelow}周岁或${qualifyingDisabilities.map((q) => `${DISABILITY_LABELS[q.type].zh}${q.grades.join('、')}级`).join('、')}`;
  const criteriaEn = `aged ${elderAgeFrom} or over, under ${minorAgeBelow}, or ${qualifyingDisabilities.map((q) => `${DISABILITY_LABELS[q.type].en} grade ${q.grades.join('/')}`).join(', ')}`;
  return {
    id: 'tekun.no_capacity_to_work',
    passed,
    reason: {
      zh: `${decisionDate}时${age}周岁（${facts.applicant.birthDate}出生），残疾情况：${disabilitiesZh}；${passed ? '符合' : '不符合'}无劳动能力条件（${criteriaZh}）`,
      en: `aged ${age} on ${decisionDate} (born ${facts.applicant.birthDate}), disabilities: ${disabilitiesEn}; ${passed ? 'meets' : 'does not meet'} the no-capacity-to-work condition (${criteriaEn})`,
    },
    inputs: {
      birthDate: facts.applicant.birthDate,
      decisionDate,
      ageInYears: age,
      elderAgeFrom,
      minorAgeBelow,
      qualifyingDisabilities: qualifying.map((d) => `${d.type}:${d.grade}`),
    },
  };
}

/** Own counted income strictly below the 低保 standard for the applicant's residence. */
function noSourceOfLiving(policy: PolicyVersion, facts: TekunFacts): RuleResult {
  const standard = policy.dibao.standardFenPerPersonYear[facts.residence];
  const { countedFenPerYear: income } = countIncome(facts.incomes, policy.dibao.excludedIncomeSources);
  const passed = income < standard;
  const area = RESIDENCE_LABELS[facts.residence];
  return {
    id: 'tekun.no_source_of_living',
    passed,
    reason: {
      zh: `本人年收入${formatFen(income)}元，${passed ? '低于' : '不低于'}${area.zh}低保标准${formatFen(standard)}元/年`,
      en: `own income CNY ${formatFen(income)}/year is ${passed ? 'below' : 'not below'} the ${area.en} 低保 standard of CNY ${formatFen(standard)}/year`,
    },
    inputs: { residence: facts.residence, countedIncomeFenPerYear: income, standardFenPerPersonYear: standard },
  };
}

/** Every legal supporter has a situation the policy accepts as "unable"; none at all also passes. */
function noAbleSupporter(policy: PolicyVersion, facts: TekunFacts): RuleResult {
  const accepted = policy.tekun.supporterIncapacityReasons;
  const assessed = facts.supporters.map((s) => ({ supporter: s, counted: s.incapacityReasons.filter((r) => accepted.includes(r)) }));
  const able = assessed.filter((a) => a.counted.length === 0);
  const passed = able.length === 0;
  const describe = (lang: 'zh' | 'en') =>
    assessed
      .map(({ supporter, counted }) => {
        const who = SUPPORTER_RELATION_LABELS[supporter.relation][lang];
        if (counted.length === 0) return lang === 'zh' ? `${who}：有履行义务能力` : `${who}: able to support`;
        return `${who}${lang === 'zh' ? '：' : ': '}${counted.map((r) => SUPPORTER_INCAPACITY_LABELS[r][lang]).join(lang === 'zh' ? '、' : ', ')}`;
      })
      .join(lang === 'zh' ? '；' : '; ');
  return {
    id: 'tekun.no_able_supporter',
    passed,
    reason:
      facts.supporters.length === 0
        ? { zh: '无法定赡养、抚养、扶养义务人', en: 'has no legal supporter' }
        : {
            zh: `${describe('zh')}；${passed ? '法定义务人均无履行义务能力' : `有${able.length}名法定义务人有履行义务能力`}`,
            en: `${describe('en')}; ${passed ? 'no legal supporter is able to support' : `${able.length} legal supporter(s) able to support`}`,
          },
    inputs: {
      supporters: facts.supporters.length,
      ableSupporters: able.length,
      supporterAssessments: assessed.map(({ supporter, counted }) => `${supporter.relation}:${counted.length === 0 ? 'able' : counted.join('+')}`),
    },
  };
}

function tekunAmount(policy: PolicyVersion, facts: TekunFacts): Amount {
  const yearlyFen = policy.tekun.basicLivingStandardFenPerYear[facts.residence];
  const monthlyFen = divideRounded(yearlyFen, 12, policy.monthlyRounding);
  const rounding = describeRounding(policy.monthlyRounding);
  const area = RESIDENCE_LABELS[facts.residence];
  return {
    monthlyFen,
    computation: {
      formula: 'monthly = round(basic living standard per year / 12)',
      values: {
        residence: facts.residence,
        basicLivingStandardFenPerYear: yearlyFen,
        roundingUnitFen: policy.monthlyRounding.unitFen,
        roundingMode: policy.monthlyRounding.mode,
        monthlyFen,
      },
      zh: `${area.zh}特困人员基本生活标准${formatFen(yearlyFen)}元/年 ÷ 12，${rounding.zh}，= ${formatFen(monthlyFen)}元/月`,
      en: `${area.en} 特困 basic living standard CNY ${formatFen(yearlyFen)}/year ÷ 12, ${rounding.en}, = CNY ${formatFen(monthlyFen)}/month`,
    },
  };
}

/** 特困: the basic living amount plus the care allowance (照料护理补贴) of the person's grade. */
function withCareAllowance(basic: Amount, gradeLabel: string, careFen: number): Amount {
  if (!('monthlyFen' in basic)) return basic;
  const monthlyFen = basic.monthlyFen + careFen;
  return {
    monthlyFen,
    computation: {
      formula: `${basic.computation.formula}; monthly += care allowance of the care grade`,
      values: { ...basic.computation.values, basicMonthlyFen: basic.monthlyFen, careGrade: gradeLabel, monthlyCareFen: careFen, monthlyFen },
      zh: `${basic.computation.zh}；加${gradeLabel}照料护理补贴${formatFen(careFen)}元/月，月发放${formatFen(monthlyFen)}元`,
      en: `${basic.computation.en}; plus the ${gradeLabel} care allowance of CNY ${formatFen(careFen)}/month: CNY ${formatFen(monthlyFen)}/month`,
    },
  };
}
