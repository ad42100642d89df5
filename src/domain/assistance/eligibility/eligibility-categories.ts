import { ageInYearsOn } from '../../calendar/working-days.iso-date';
import {
  CARE_GRADE_LABELS,
  ORPHAN_PLACEMENT_LABELS,
  type DibaoClassCondition,
  type DibaoClasses,
  type OrphanPlacement,
  type TekunCare,
} from '../policy/assistance-standards';
import { DomainRuleViolation } from '../../shared/errors';
import type { DibaoFacts } from './eligibility-facts';
import type { AssistanceCategory } from './eligibility-result';

/**
 * The tables of assistance-standards.ts applied to a case's facts. Pure: the decision date is an
 * argument, so a replay assigns the same class or grade.
 */

const CONDITION_LABELS: Record<DibaoClassCondition, { zh: string; en: string }> = {
  all_members_no_labour_capacity: { zh: '家庭成员均无劳动能力', en: 'no member can work' },
  member_severe_disability: { zh: '有重度残疾成员', en: 'a member with a severe disability' },
  member_serious_illness: { zh: '有重病成员', en: 'a member with a serious illness' },
  member_elder: { zh: '有老年成员', en: 'an elderly member' },
  member_minor: { zh: '有未成年成员', en: 'a minor member' },
  any_household: { zh: '其他低保家庭', en: 'any other 低保 household' },
};

function holds(condition: DibaoClassCondition, classes: DibaoClasses, decisionDate: string, facts: DibaoFacts): boolean {
  const m = facts.members;
  switch (condition) {
    case 'all_members_no_labour_capacity':
      return m.every((p) => p.labourCapacity === 'none');
    case 'member_severe_disability':
      return m.some((p) => p.disabilities.some((d) => classes.severeDisabilityGrades.includes(d.grade)));
    case 'member_serious_illness':
      return m.some((p) => p.seriousIllness);
    case 'member_elder':
      return m.some((p) => ageInYearsOn(p.birthDate, decisionDate) >= classes.elderAgeFrom);
    case 'member_minor':
      return m.some((p) => ageInYearsOn(p.birthDate, decisionDate) < classes.minorAgeBelow);
    case 'any_household':
      return true;
  }
}

/** The first class (in policy order) with a row whose conditions all hold. */
export function dibaoClassOf(classes: DibaoClasses, decisionDate: string, facts: DibaoFacts): { category: AssistanceCategory; index: number } {
  for (const [index, c] of classes.classes.entries()) {
    const row = c.when.find((r) => r.every((cond) => holds(cond, classes, decisionDate, facts)));
    if (!row) continue;
    const zh = row.map((x) => CONDITION_LABELS[x].zh).join('且');
    const en = row.map((x) => CONDITION_LABELS[x].en).join(' and ');
    return {
      index,
      category: {
        kind: 'dibao_class',
        code: c.code,
        label: c.label,
        reason: { zh: `分类施保：${zh}，属${c.label}`, en: `classified assistance: ${en}, so class ${c.code}` },
        inputs: { classCode: c.code, matchedConditions: [...row] },
      },
    };
  }
  // Unreachable for a valid policy (the last class applies to any household).
  throw new DomainRuleViolation('eligibility.no_dibao_class', 'no 分类施保 class applies to the household');
}

/** The care grade for the number of daily activities the person cannot do. */
export function careGradeOf(care: TekunCare, activitiesUnable: number): { category: AssistanceCategory; monthlyCareFen: number } {
  const row = care.grades.find((g) => activitiesUnable <= g.maxActivitiesUnable)!;
  const label = CARE_GRADE_LABELS[row.grade];
  return {
    monthlyCareFen: row.monthlyCareFen,
    category: {
      kind: 'care_grade',
      code: row.grade,
      label: label.zh,
      reason: {
        zh: `生活自理能力评估：6项日常活动中${activitiesUnable}项不能自理，属${label.zh}`,
        en: `self-care assessment: cannot do ${activitiesUnable} of the 6 daily activities, so ${label.en}`,
      },
      inputs: { activitiesUnable, grade: row.grade, maxActivitiesUnable: row.maxActivitiesUnable, monthlyCareFen: row.monthlyCareFen },
    },
  };
}

export function orphanPlacementCategory(placement: OrphanPlacement, monthlyFen: number): AssistanceCategory {
  const label = ORPHAN_PLACEMENT_LABELS[placement];
  return {
    kind: 'orphan_placement',
    code: placement,
    label: `${label.zh}孤儿`,
    reason: { zh: `${label.zh}孤儿，适用${label.zh}孤儿基本生活保障标准`, en: `an orphan ${label.en}: the ${label.en} standard applies` },
    inputs: { placement, monthlyFen },
  };
}
