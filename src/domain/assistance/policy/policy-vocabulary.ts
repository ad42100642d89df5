import { z } from 'zod';

/**
 * The closed vocabularies that both a policy version (which values count) and the facts of a
 * case (which value applies) refer to. Keeping them in one place means a policy can only name
 * categories the facts can actually carry.
 */

/** 残疾类别 (GB/T 26341-2010): 视力, 听力, 言语, 肢体, 智力, 精神, 多重. */
export const DISABILITY_TYPES = ['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'] as const;
export const DisabilityTypeSchema = z.enum(DISABILITY_TYPES);
export type DisabilityType = z.infer<typeof DisabilityTypeSchema>;

/** 残疾等级: grade 1 (一级) is the most severe, 4 the least. */
export const DisabilityGradeSchema = z.int().min(1).max(4);

/** Sources a household's income is recorded by, so a policy can exclude some (e.g. awards). */
export const INCOME_SOURCES = [
  'wages',
  'farming',
  'business',
  'property',
  'pension',
  'support_payment',
  'public_transfer',
  'disability_subsidy',
  'award',
  'other',
] as const;
export const IncomeSourceSchema = z.enum(INCOME_SOURCES);
export type IncomeSource = z.infer<typeof IncomeSourceSchema>;

/**
 * Why a legal supporter (法定义务人: spouse, parent, child…) cannot support a 特困 applicant,
 * after the situations listed in the 2021 特困人员认定办法: themselves 特困; 低保 and 60+;
 * 70+ with own income below the local average and property within the 特困 limits; severely
 * disabled (or grade-3 intellectual/mental) with such income and property; without civil
 * capacity, declared missing, or in prison; deceased; another situation the province sets.
 * The investigation records which applies; the policy says which ones count.
 */
export const SUPPORTER_INCAPACITY_REASONS = [
  'tekun',
  'dibao_aged_60_plus',
  'aged_70_plus_low_income',
  'severe_disability_low_income',
  'no_civil_capacity',
  'declared_missing',
  'in_prison',
  'deceased',
  'provincial_rule',
] as const;
export const SupporterIncapacityReasonSchema = z.enum(SUPPORTER_INCAPACITY_REASONS);
export type SupporterIncapacityReason = z.infer<typeof SupporterIncapacityReasonSchema>;

/** A parent's situation, for the 事实无人抚养儿童 rule; `none_of_these` = able to raise the child. */
export const PARENT_SITUATIONS = [
  'dead',
  'declared_missing',
  'severe_disability',
  'serious_illness',
  'in_prison',
  'compulsory_drug_rehab',
  'deprived_of_liberty',
  'out_of_contact',
  'guardianship_revoked',
  'none_of_these',
] as const;
export const ParentSituationSchema = z.enum(PARENT_SITUATIONS);
export type ParentSituation = z.infer<typeof ParentSituationSchema>;

/** Sudden hardship that 临时救助 answers. */
export const HARDSHIP_CAUSES = ['fire', 'accident', 'illness', 'disaster', 'other'] as const;
export const HardshipCauseSchema = z.enum(HARDSHIP_CAUSES);
export type HardshipCause = z.infer<typeof HardshipCauseSchema>;

export const ResidenceSchema = z.enum(['urban', 'rural']);
export type Residence = z.infer<typeof ResidenceSchema>;
