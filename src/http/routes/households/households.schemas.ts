import { z } from 'zod';
import { DisabilityTypeSchema, LabourCapacitySchema, RelationSchema, SchoolStatusSchema } from '../../../domain/households/person';
import { isValidNationalId } from '../../../domain/shared/national-id';

/** Request and response shapes of the household routes (households, members, special groups). */
export const Day = z.iso.date();
export const Uuid = z.string().uuid();

export const MemberBody = z.object({
  name: z.string().trim().min(1).max(50),
  idNumber: z.string().trim().refine(isValidNationalId, 'not a valid national ID number (18 characters, GB 11643 check digit)'),
  relation: RelationSchema,
  birthDate: Day.optional(),
  sex: z.enum(['male', 'female']).optional(),
  disability: z
    .object({ type: DisabilityTypeSchema, grade: z.number().int().min(1).max(4) })
    .nullable()
    .default(null),
  seriousIllness: z.string().trim().min(1).max(200).nullable().default(null),
  labourCapacity: LabourCapacitySchema,
  schoolStatus: SchoolStatusSchema.nullable().default(null),
});

const MemberSchema = z.object({
  personId: Uuid,
  name: z.string(),
  idNumber: z.string(),
  birthDate: z.string(),
  sex: z.string(),
  relation: z.string(),
  disability: z.object({ type: z.string(), grade: z.number() }).nullable(),
  seriousIllness: z.string().nullable(),
  labourCapacity: z.string(),
  schoolStatus: z.string().nullable(),
});
export const HouseholdSchema = z
  .object({
    id: Uuid,
    groupId: Uuid,
    villageId: Uuid,
    townId: Uuid,
    address: z.string().nullable(),
    incomeStability: z.string(),
    version: z.number().int(),
    registeredOn: z.string(),
    members: z.array(MemberSchema),
    specialGroups: z.array(
      z.object({
        membershipId: Uuid,
        group: z.string(),
        personId: Uuid.nullable(),
        riskLevel: z.number().nullable(),
        from: z.string(),
        to: z.string().nullable(),
      }),
    ),
    circumstances: z.array(z.object({ on: z.string(), category: z.string(), description: z.string() })),
    personalDataMasked: z.boolean(),
  })
  .meta({ id: 'Household' });
