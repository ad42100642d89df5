import { z } from 'zod';
import { DisabilityTypeSchema, LabourCapacitySchema, RelationSchema, SchoolStatusSchema } from '../../../domain/households/person';
import { isValidNationalId } from '../../../domain/shared/national-id';

/** Request and response shapes of the household routes (households, members, special groups). */
export const Day = z.iso.date();
export const Uuid = z.string().uuid();

export const MemberBody = z.object({
  name: z.string().trim().min(1).max(50).describe('姓名 / name').meta({ example: '李秀英' }),
  idNumber: z
    .string()
    .trim()
    .refine(isValidNationalId, '身份证号须为 18 位公民身份号码，末位校验码符合 GB 11643 / not a valid national ID number (18 characters, GB 11643 check digit)')
    .describe(
      '公民身份号码：18 位，前 17 位为数字，末位为校验码（0–9 或 X），须符合 GB 11643 校验；出生日期与性别由它推导 / citizen ID number: 18 characters with the GB 11643 check digit',
    )
    .meta({ example: '53062619900101123X' }),
  relation: RelationSchema.describe('与户主关系，发送代码（如户主为 head）/ relation to the head: send the code'),
  birthDate: Day.optional().describe('出生日期，可不填：由身份证号推导；填写时须一致，否则 422 person.birth_date_mismatch / derived from the ID number'),
  sex: z
    .enum(['male', 'female'])
    .optional()
    .describe('性别，可不填：由身份证号第 17 位推导（奇数男、偶数女）；填写时须一致，否则 422 person.sex_mismatch / derived from the ID number'),
  disability: z
    .object({
      type: DisabilityTypeSchema.describe('残疾类别 / disability type'),
      grade: z.number().int().min(1).max(4).describe('残疾等级 1–4（1 级最重）/ grade 1–4'),
    })
    .nullable()
    .default(null)
    .describe('残疾情况，无则为 null / disability, or null'),
  seriousIllness: z.string().trim().min(1).max(200).nullable().default(null).describe('重病名称，无则为 null / serious illness, or null'),
  labourCapacity: LabourCapacitySchema.describe('劳动能力 / capacity to work'),
  schoolStatus: SchoolStatusSchema.nullable().default(null).describe('就学状况，无则为 null / schooling, or null'),
});

/** What a front end sends to register one household (POST /households, and each item of POST /households/batch). */
export const RegisterHouseholdBody = z.object({
  groupId: Uuid.describe('所在村民小组 ID / id of the villager group'),
  address: z.string().max(200).nullable().optional().describe('住址 / address'),
  incomeStability: z.enum(['stable', 'unstable']).default('stable').describe('收入稳定性 / income stability'),
  members: z.array(MemberBody).min(1).max(30).describe('家庭成员（1–30 人，恰有一名户主）/ members, exactly one head'),
});

const MemberSchema = z.object({
  personId: Uuid.describe('成员 ID / id of the person'),
  name: z.string().describe('姓名 / name'),
  idNumber: z.string().describe('身份证号，按角色可能已脱敏（见 personalDataMasked）/ ID number, masked for some roles'),
  birthDate: z.string().describe('出生日期（YYYY-MM-DD）/ birth date'),
  sex: z.string().describe('性别代码：male=男，female=女 / sex code'),
  relation: z.string().describe('与户主关系代码，见代码表 relation / relation code, see vocabulary relation'),
  disability: z
    .object({
      type: z.string().describe('残疾类别代码，见代码表 disability_type / disability type code'),
      grade: z.number().describe('残疾等级 1–4 / grade 1–4'),
    })
    .nullable()
    .describe('残疾情况，无则为 null / disability, or null'),
  seriousIllness: z.string().nullable().describe('重病名称，无则为 null / serious illness, or null'),
  labourCapacity: z.string().describe('劳动能力代码，见代码表 labour_capacity / capacity to work'),
  schoolStatus: z.string().nullable().describe('就学状况代码，见代码表 school_status / schooling'),
});
export const HouseholdSchema = z
  .object({
    id: Uuid.describe('家庭 ID / household id'),
    groupId: Uuid.describe('所在村民小组 ID / id of the villager group'),
    villageId: Uuid.describe('所在村 ID / id of the village'),
    townId: Uuid.describe('所在乡镇 ID / id of the town'),
    address: z.string().nullable().describe('住址 / address'),
    incomeStability: z.string().describe('收入稳定性代码：stable=稳定，unstable=不稳定 / income stability'),
    version: z.number().int().describe('版本号，即 ETag，修改时放入 If-Match / version; send it as If-Match'),
    registeredOn: z.string().describe('登记日期 / registered on'),
    members: z.array(MemberSchema).describe('家庭成员 / members'),
    specialGroups: z
      .array(
        z.object({
          membershipId: Uuid.describe('分组记录 ID / id of the membership'),
          group: z.string().describe('重点人群代码，见代码表 population_group / population group code'),
          personId: Uuid.nullable().describe('成员 ID；整户纳入时为 null / the person, or null for the whole household'),
          riskLevel: z.number().nullable().describe('风险等级 0–5（严重精神障碍患者）/ risk level 0–5'),
          from: z.string().describe('纳入日期 / from'),
          to: z.string().nullable().describe('退出日期，仍在组中为 null / to, or null while in the group'),
        }),
      )
      .describe('重点人群分组 / special population groups'),
    circumstances: z
      .array(
        z.object({
          on: z.string().describe('日期 / date'),
          category: z.string().describe('需求类别代码，见代码表 need_category / category'),
          description: z.string().describe('情况说明 / description'),
        }),
      )
      .describe('家庭情况记录 / recorded circumstances'),
    personalDataMasked: z.boolean().describe('身份证号、电话是否已按角色脱敏 / whether ID numbers and phones are masked for this role'),
  })
  .meta({ id: 'Household' });
