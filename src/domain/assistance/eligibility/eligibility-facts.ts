import { z } from 'zod';
import {
  DisabilityGradeSchema,
  DisabilityTypeSchema,
  HardshipCauseSchema,
  IncomeSourceSchema,
  ParentSituationSchema,
  ResidenceSchema,
  SupporterIncapacityReasonSchema,
} from '../policy/policy-vocabulary';
import { OrphanPlacementSchema } from '../policy/assistance-standards';

/**
 * The facts a decision is taken on, as the investigation established them. A decision event
 * stores them verbatim; the rules read nothing else, so the stored facts and the policy version
 * are all a replay needs. Money is integer fen per year unless the name says otherwise.
 */
const IsoDate = z.iso.date();
const Fen = z.int().nonnegative();

export const DisabilitySchema = z.object({ type: DisabilityTypeSchema, grade: DisabilityGradeSchema });

export const PersonFactsSchema = z.object({
  personId: z.string().min(1),
  birthDate: IsoDate,
  /** Certified disabilities (残疾人证); a person may have several. */
  disabilities: z.array(DisabilitySchema).default([]),
  seriousIllness: z.boolean().default(false),
  labourCapacity: z.enum(['full', 'partial', 'none']),
});
export type PersonFacts = z.infer<typeof PersonFactsSchema>;

/** One income of the household; `personId` names the earner when known. */
export const IncomeFactSchema = z.object({
  personId: z.string().min(1).nullable().default(null),
  source: IncomeSourceSchema,
  fenPerYear: Fen,
});
export type IncomeFact = z.infer<typeof IncomeFactSchema>;

export const PropertyFactsSchema = z.object({
  financialAssetsFen: Fen,
  /** Motor vehicles not exempted by local rules (a disability vehicle is not reported). */
  vehicles: z.int().nonnegative(),
  housingUnits: z.int().nonnegative(),
});

export const DibaoFactsSchema = z
  .object({
    residence: ResidenceSchema,
    /** Household members living together (共同生活的家庭成员), the applicant included. */
    members: z.array(PersonFactsSchema).min(1),
    incomes: z.array(IncomeFactSchema),
    property: PropertyFactsSchema,
    /** Decides the dynamic-review interval, not eligibility. */
    incomeStability: z.enum(['stable', 'unstable']),
  })
  .superRefine((facts, ctx) => {
    const ids = facts.members.map((m) => m.personId);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['members', i, 'personId'], message: `person ${id} is listed twice` });
    });
    facts.incomes.forEach((income, i) => {
      if (income.personId !== null && !ids.includes(income.personId)) {
        ctx.addIssue({ code: 'custom', path: ['incomes', i, 'personId'], message: `person ${income.personId} is not a household member` });
      }
    });
  });
export type DibaoFacts = z.infer<typeof DibaoFactsSchema>;

export const SupporterRelationSchema = z.enum(['spouse', 'parent', 'child', 'grandparent', 'grandchild', 'sibling', 'other']);
export type SupporterRelation = z.infer<typeof SupporterRelationSchema>;

/** A legal supporter (法定义务人) and what, if anything, stops them supporting the applicant. */
export const SupporterFactsSchema = z.object({
  relation: SupporterRelationSchema,
  personId: z.string().min(1).nullable().default(null),
  incapacityReasons: z.array(SupporterIncapacityReasonSchema),
});
export type SupporterFacts = z.infer<typeof SupporterFactsSchema>;

export const TekunFactsSchema = z.object({
  residence: ResidenceSchema,
  applicant: PersonFactsSchema,
  /** The applicant's own incomes. */
  incomes: z.array(IncomeFactSchema.omit({ personId: true })),
  /** Every legal supporter the investigation found; empty when there is none. */
  supporters: z.array(SupporterFactsSchema),
  /** 生活自理能力评估: how many of the 6 daily activities the person cannot do; sets the care grade where the policy has grades. */
  careAssessment: z.object({ activitiesUnable: z.int().min(0).max(6), assessedOn: IsoDate }).optional(),
});
export type TekunFacts = z.infer<typeof TekunFactsSchema>;

export const ParentFactsSchema = z.object({
  situation: ParentSituationSchema,
  /** Since when the situation holds; needed where it must have lasted (detention, loss of contact). */
  since: IsoDate.nullable().default(null),
});
export type ParentFacts = z.infer<typeof ParentFactsSchema>;

export const UnsupportedChildFactsSchema = z.object({
  child: z.object({ personId: z.string().min(1), birthDate: IsoDate }),
  father: ParentFactsSchema,
  mother: ParentFactsSchema,
  /** 集中供养 in an institution or 散居 with kin: sets the orphan's standard where the policy has both. */
  placement: OrphanPlacementSchema.optional(),
});
export type UnsupportedChildFacts = z.infer<typeof UnsupportedChildFactsSchema>;

export const TemporaryFactsSchema = z.object({
  cause: HardshipCauseSchema,
  description: z.string().default(''),
  occurredOn: IsoDate,
  requestedFen: z.int().positive(),
  /** 急难型: granted first, paperwork completed afterwards (先行救助). */
  emergency: z.boolean(),
});
export type TemporaryFacts = z.infer<typeof TemporaryFactsSchema>;

/** What `evaluateEligibility` takes: the program, the decision date, and that program's facts. */
export const EligibilityRequestSchema = z.discriminatedUnion('program', [
  z.object({ program: z.literal('dibao'), decisionDate: IsoDate, facts: DibaoFactsSchema }),
  z.object({ program: z.literal('tekun'), decisionDate: IsoDate, facts: TekunFactsSchema }),
  z.object({ program: z.literal('unsupported_child'), decisionDate: IsoDate, facts: UnsupportedChildFactsSchema }),
  z.object({ program: z.literal('orphan'), decisionDate: IsoDate, facts: UnsupportedChildFactsSchema }),
  z.object({ program: z.literal('temporary'), decisionDate: IsoDate, facts: TemporaryFactsSchema }),
]);
export type EligibilityRequest = z.infer<typeof EligibilityRequestSchema>;
export type EligibilityRequestInput = z.input<typeof EligibilityRequestSchema>;
