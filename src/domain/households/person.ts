import { z } from 'zod';

/** A person in a household, as recorded. Health and disability are personal data (masked on reads). */
export const RelationSchema = z.enum(['head', 'spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling', 'daughter_in_law', 'son_in_law', 'other']);
export const LabourCapacitySchema = z.enum(['full', 'partial', 'none']);
export const SchoolStatusSchema = z.enum([
  'not_school_age',
  'preschool',
  'primary',
  'junior_secondary',
  'senior_secondary',
  'vocational',
  'college',
  'dropout',
  'graduated',
]);
export const DisabilityTypeSchema = z.enum(['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple']);

export const MemberSchema = z.object({
  personId: z.string().uuid(),
  name: z.string().min(1),
  idNumber: z.string().length(18),
  birthDate: z.iso.date(),
  sex: z.enum(['male', 'female']),
  relation: RelationSchema,
  disability: z.object({ type: DisabilityTypeSchema, grade: z.number().int().min(1).max(4) }).nullable(),
  seriousIllness: z.string().min(1).nullable(),
  labourCapacity: LabourCapacitySchema,
  schoolStatus: SchoolStatusSchema.nullable(),
});
export type Member = z.infer<typeof MemberSchema>;

/**
 * Special groups (特殊群体) a person or a whole household belongs to, each dated.
 * 低保 and 特困 households are the enrolled beneficiaries who are due dynamic reviews.
 */
export const SpecialGroupSchema = z.enum([
  'dibao', // 低保
  'tekun_scattered', // 特困 分散供养
  'tekun_institution', // 特困 集中供养
  'orphan', // 孤儿
  'de_facto_unsupported_child', // 事实无人抚养儿童
  'left_behind_child', // 留守儿童
  'left_behind_woman', // 留守妇女
  'left_behind_elder', // 留守老人
  'disability', // 残疾人
  'mental_disorder', // 精神障碍患者 (with a risk level)
  'poverty_relapse_monitoring', // 防返贫监测对象
]);
export type SpecialGroup = z.infer<typeof SpecialGroupSchema>;
