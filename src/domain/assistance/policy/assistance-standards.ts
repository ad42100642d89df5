import { z } from 'zod';
import { DisabilityGradeSchema } from './policy-vocabulary';

/**
 * The county's assistance standards beyond the national rules (issue #19, finding 6): 分类施保
 * classes for 低保, 特困 care grades with their care allowances, orphans' standards by placement
 * (集中/散居), and the towns' 临时救助 reserve fund. Each is optional in a policy version, so a
 * version that predates them keeps its content hash; when present, decisions apply them and
 * record the class or grade with the version.
 *
 * The tests that assign a class or a grade are tables (rows of conditions), data like the rest.
 */
const PositiveFen = z.int().positive();
const Fen = z.int().nonnegative();
const ByResidence = z.object({ urban: Fen, rural: Fen });

/** What a 分类施保 row can test about a household, from the facts a 低保 investigation records. */
export const DIBAO_CLASS_CONDITIONS = [
  /** No member of the household can work (labourCapacity 'none' for all). */
  'all_members_no_labour_capacity',
  /** A member with a disability of one of `severeDisabilityGrades`. */
  'member_severe_disability',
  /** A member with a serious illness. */
  'member_serious_illness',
  /** A member aged `elderAgeFrom` or over on the decision date. */
  'member_elder',
  /** A member under `minorAgeBelow` on the decision date. */
  'member_minor',
  /** Every household: the last class's row, so every 低保 household gets a class. */
  'any_household',
] as const;
export const DibaoClassConditionSchema = z.enum(DIBAO_CLASS_CONDITIONS);
export type DibaoClassCondition = z.infer<typeof DibaoClassConditionSchema>;

export const DibaoClassAmountSchema = z.discriminatedUnion('kind', [
  /** The gap to the standard (standard × members − income), the national formula. */
  z.object({ kind: z.literal('gap') }),
  /** The gap plus a supplement per member per month (e.g. A类 for the hardest households). */
  z.object({ kind: z.literal('gap_plus'), supplementFenPerPersonMonth: ByResidence }),
  /** A fixed amount per member per month, never above the gap (C类 in many counties). */
  z.object({ kind: z.literal('fixed_per_person'), fenPerPersonMonth: ByResidence, capAtGap: z.boolean().default(true) }),
]);
export type DibaoClassAmount = z.infer<typeof DibaoClassAmountSchema>;

export const DibaoClassSchema = z.object({
  /** 'A', 'B', 'C' (or the county's own codes). */
  code: z.string().regex(/^[A-Z][A-Z0-9]{0,3}$/),
  label: z.string().min(1),
  /** The class applies when any row holds; a row holds when all its conditions hold. */
  when: z.array(z.array(DibaoClassConditionSchema).min(1)).min(1),
  amount: DibaoClassAmountSchema,
});

export const DibaoClassesSchema = z
  .object({
    /** Tested in order: the first class with a matching row is the household's class. */
    classes: z.array(DibaoClassSchema).min(1),
    severeDisabilityGrades: z.array(DisabilityGradeSchema).min(1).default([1, 2]),
    elderAgeFrom: z.int().positive().default(60),
    minorAgeBelow: z.int().positive().default(16),
  })
  .superRefine((p, ctx) => {
    const codes = p.classes.map((c) => c.code);
    codes.forEach((c, i) => codes.indexOf(c) !== i && ctx.addIssue({ code: 'custom', path: ['classes', i, 'code'], message: `class ${c} is defined twice` }));
    const last = p.classes.at(-1)!;
    if (!last.when.some((row) => row.includes('any_household'))) {
      ctx.addIssue({
        code: 'custom',
        path: ['classes', p.classes.length - 1, 'when'],
        message: 'the last class must apply to any household, so every 低保 household has a class',
      });
    }
  });
export type DibaoClasses = z.infer<typeof DibaoClassesSchema>;

/** 特困 care grades, from the self-care assessment (生活自理能力评估): 6 activities of daily living. */
export const CARE_GRADES = ['self_care', 'partial_care', 'full_care'] as const;
export const CareGradeSchema = z.enum(CARE_GRADES);
export type CareGrade = z.infer<typeof CareGradeSchema>;
export const CARE_GRADE_LABELS: Record<CareGrade, { zh: string; en: string }> = {
  self_care: { zh: '全自理', en: 'self-care' },
  partial_care: { zh: '半护理', en: 'partial care' },
  full_care: { zh: '全护理', en: 'full care' },
};

export const TekunCareSchema = z
  .object({
    /**
     * Rows in order: the first row with `maxActivitiesUnable` ≥ the number of the 6 activities
     * (eating, dressing, getting in and out of bed, toileting, walking indoors, bathing) the
     * person cannot do gives the grade. National rule: 0 → 全自理, 1–3 → 半护理, 4–6 → 全护理.
     */
    grades: z.array(z.object({ grade: CareGradeSchema, maxActivitiesUnable: z.int().min(0).max(6), monthlyCareFen: Fen })).min(1),
  })
  .superRefine((p, ctx) => {
    p.grades.forEach((g, i) => {
      if (i > 0 && g.maxActivitiesUnable <= p.grades[i - 1]!.maxActivitiesUnable)
        ctx.addIssue({ code: 'custom', path: ['grades', i, 'maxActivitiesUnable'], message: 'rows must cover increasing numbers of activities' });
    });
    if (p.grades.at(-1)!.maxActivitiesUnable !== 6) ctx.addIssue({ code: 'custom', path: ['grades'], message: 'the last row must cover all 6 activities' });
  });
export type TekunCare = z.infer<typeof TekunCareSchema>;

export const ORPHAN_PLACEMENTS = ['institution', 'scattered'] as const;
export const OrphanPlacementSchema = z.enum(ORPHAN_PLACEMENTS);
export type OrphanPlacement = z.infer<typeof OrphanPlacementSchema>;
export const ORPHAN_PLACEMENT_LABELS: Record<OrphanPlacement, { zh: string; en: string }> = {
  institution: { zh: '集中供养', en: 'in an institution' },
  scattered: { zh: '散居', en: 'scattered (living with kin)' },
};

/** 孤儿基本生活保障标准 by placement, per child per month. */
export const OrphanStandardsSchema = z.object({ institutionMonthlyFen: PositiveFen, scatteredMonthlyFen: PositiveFen });
export type OrphanStandards = z.infer<typeof OrphanStandardsSchema>;

/** 乡镇临时救助备用金: each town holds a float the county tops up; emergency grants draw on it. */
export const ReserveFundPolicySchema = z.object({
  /** The float the county keeps each town's fund at (what a top-up restores). */
  floatFenPerTown: PositiveFen,
  /** Below this balance the fund is reported as needing a top-up. */
  lowBalanceFen: Fen,
  /** Whether an emergency grant larger than the town's balance is refused (true) or recorded as an overdraft. */
  refuseWhenInsufficient: z.boolean().default(true),
});
export type ReserveFundPolicy = z.infer<typeof ReserveFundPolicySchema>;
