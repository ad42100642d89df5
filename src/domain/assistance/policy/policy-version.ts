import { z } from 'zod';
import {
  DisabilityGradeSchema,
  DisabilityTypeSchema,
  HARDSHIP_CAUSES,
  HardshipCauseSchema,
  IncomeSourceSchema,
  ParentSituationSchema,
  SUPPORTER_INCAPACITY_REASONS,
  SupporterIncapacityReasonSchema,
} from './policy-vocabulary';
import { DibaoClassesSchema, OrphanStandardsSchema, ReserveFundPolicySchema, TekunCareSchema } from './assistance-standards';

/**
 * One version of a county's social-assistance policy, in force from `effectiveFrom` until the
 * next version's date. Money is integer fen (分), multipliers are basis points (15000 = 1.5×),
 * so no rule ever touches a float.
 *
 * Defaults are the national figures (2021 rules). They are filled in when a version is
 * defined, so the parsed version — not the request that created it — is what must be stored
 * and hashed: a later change to a default then cannot change what an old version meant.
 */
const Fen = z.int().nonnegative();
const PositiveFen = z.int().positive();
const Months = z.int().positive();
const WorkingDays = z.int().positive();
const ByResidence = z.object({ urban: PositiveFen, rural: PositiveFen });

export const DibaoPolicySchema = z.object({
  /** 低保标准: yuan per person per year, urban and rural, in fen. */
  standardFenPerPersonYear: ByResidence,
  /** Income sources that are not counted as household income (e.g. awards, disability subsidies). */
  excludedIncomeSources: z.array(IncomeSourceSchema).default([]),
  propertyLimits: z.object({
    /** Deposits, securities, cash and the like, per household member. */
    financialAssetsFenPerCapita: Fen,
    /** Motor vehicles the household may own (exempt vehicles, e.g. for a disability, are not reported). */
    maxVehicles: z.int().nonnegative(),
    /** Dwellings the household may own. */
    maxHousingUnits: z.int().nonnegative(),
  }),
  /** 低保边缘: per-capita income below this multiple of the standard. */
  marginMultiplierBp: z.int().min(10_000).default(15_000),
});

export const QualifyingDisabilitySchema = z.object({ type: DisabilityTypeSchema, grades: z.array(DisabilityGradeSchema).min(1) });

export const TekunPolicySchema = z.object({
  /** No capacity to work by age: at least this age (60) … */
  elderAgeFrom: z.int().positive().default(60),
  /** … or strictly below this age (16), both in completed years on the decision date. */
  minorAgeBelow: z.int().positive().default(16),
  /** Disabilities that mean no capacity to work: intellectual or mental grade 1–2, physical grade 1. */
  qualifyingDisabilities: z.array(QualifyingDisabilitySchema).default([
    { type: 'intellectual', grades: [1, 2] },
    { type: 'mental', grades: [1, 2] },
    { type: 'physical', grades: [1] },
  ]),
  /** Supporter situations that count as "unable to support". */
  supporterIncapacityReasons: z.array(SupporterIncapacityReasonSchema).default([...SUPPORTER_INCAPACITY_REASONS]),
  /** 特困人员基本生活标准 per person per year, paid in full (not as a top-up of income). */
  basicLivingStandardFenPerYear: ByResidence,
  /** National floor for that standard relative to 低保 (1.3×); checked when the version is defined. */
  basicLivingMinMultiplierBp: z.int().min(10_000).default(13_000),
});

export const UnsupportedChildPolicySchema = z.object({
  childAgeBelow: z.int().positive().default(18),
  /** Situations that leave a parent unable to raise the child. */
  incapacitySituations: z
    .array(ParentSituationSchema)
    .default(['severe_disability', 'serious_illness', 'in_prison', 'compulsory_drug_rehab', 'deprived_of_liberty', 'out_of_contact', 'guardianship_revoked']),
  /** A parent in one of these lets the other parent's incapacity alone qualify the child. */
  absenceSituations: z.array(ParentSituationSchema).default(['dead', 'declared_missing']),
  /** Detention and loss of contact count only once they have lasted `minimumDurationMonths`. */
  durationSituations: z.array(ParentSituationSchema).default(['in_prison', 'compulsory_drug_rehab', 'deprived_of_liberty', 'out_of_contact']),
  minimumDurationMonths: Months.default(6),
  monthlyAllowanceFen: PositiveFen,
});

export const TemporaryPolicySchema = z.object({
  qualifyingCauses: z.array(HardshipCauseSchema).default([...HARDSHIP_CAUSES]),
  /** Most one case can be granted; a larger request is granted this much. */
  maxOneOffFen: PositiveFen,
  /** Up to this amount the town approves on its own; above it the county decides. */
  townApprovalLimitFen: Fen,
});

/** How a yearly amount becomes a monthly one: to a unit (1 fen, 1 jiao, 1 yuan) in a direction. */
export const MonthlyRoundingSchema = z.object({ unitFen: z.literal([1, 10, 100]), mode: z.enum(['up', 'half_up', 'down']) });
export type MonthlyRounding = z.infer<typeof MonthlyRoundingSchema>;

export const DeadlinesPolicySchema = z.object({
  reviewWorkingDays: WorkingDays.default(25),
  extendedReviewWorkingDays: WorkingDays.default(40),
  confirmationWorkingDays: WorkingDays.default(10),
  refusalNoticeWorkingDays: WorkingDays.default(3),
  /** 先行救助: paperwork completed within this many working days of the emergency grant. */
  emergencyPaperworkWorkingDays: WorkingDays,
  /** 公示: calendar days. */
  noticePeriodDays: z.int().positive().default(7),
});

export const ReviewIntervalsSchema = z.object({
  /** Income unstable and someone in the household can work. */
  unstableAbleToWorkMonths: Months.default(6),
  /** Income stable, or nobody in the household can work. */
  stableOrUnableToWorkMonths: Months.default(12),
  tekunMonths: Months.default(12),
});

export const PolicyVersionSchema = z
  .object({
    id: z.string().min(1),
    /** County administrative division code (e.g. 530626 Suijiang). */
    countyCode: z.string().regex(/^\d{6}$/),
    effectiveFrom: z.iso.date(),
    /** Id of the working-day calendar deadlines are counted on. */
    calendarId: z.string().min(1),
    dibao: DibaoPolicySchema,
    tekun: TekunPolicySchema,
    unsupportedChild: UnsupportedChildPolicySchema,
    temporary: TemporaryPolicySchema,
    /** Default: up to the whole fen, so twelve payments never fall short of the yearly amount. */
    monthlyRounding: MonthlyRoundingSchema.default({ unitFen: 1, mode: 'up' }),
    deadlines: DeadlinesPolicySchema,
    reviewIntervals: ReviewIntervalsSchema.default({ unstableAbleToWorkMonths: 6, stableOrUnableToWorkMonths: 12, tekunMonths: 12 }),
    // County standards (assistance-standards.ts): optional, so versions without them keep their hash.
    dibaoClasses: DibaoClassesSchema.optional(),
    tekunCare: TekunCareSchema.optional(),
    orphanStandards: OrphanStandardsSchema.optional(),
    reserveFund: ReserveFundPolicySchema.optional(),
  })
  .superRefine((policy, ctx) => {
    for (const residence of ['urban', 'rural'] as const) {
      const floor = policy.dibao.standardFenPerPersonYear[residence] * policy.tekun.basicLivingMinMultiplierBp;
      if (policy.tekun.basicLivingStandardFenPerYear[residence] * 10_000 < floor) {
        ctx.addIssue({
          code: 'custom',
          path: ['tekun', 'basicLivingStandardFenPerYear', residence],
          message: `below ${policy.tekun.basicLivingMinMultiplierBp / 100}% of the ${residence} 低保 standard`,
        });
      }
    }
    if (policy.deadlines.extendedReviewWorkingDays < policy.deadlines.reviewWorkingDays) {
      ctx.addIssue({ code: 'custom', path: ['deadlines', 'extendedReviewWorkingDays'], message: 'shorter than the ordinary review deadline' });
    }
  });

export type PolicyVersionInput = z.input<typeof PolicyVersionSchema>;

type DeepReadonly<T> = T extends (infer E)[] ? readonly DeepReadonly<E>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
/** Immutable at compile time and, once defined, frozen at run time. */
export type PolicyVersion = DeepReadonly<z.output<typeof PolicyVersionSchema>>;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Validates, fills in the national defaults, and freezes. */
export function definePolicyVersion(input: unknown): PolicyVersion {
  return deepFreeze(PolicyVersionSchema.parse(input));
}
