import { fieldMessage } from '../../../domain/shared/field-messages';
import { z } from 'zod';
import { isValidNationalId } from '../../../domain/shared/national-id';
import { WorkerLevelSchema } from '../../../domain/workforce/worker-facts';

/** Request and response shapes of the workforce routes (workers, training sessions, mentoring pairs). */
export const Day = z.iso.date();
export const Uuid = z.string().uuid();

export const WorkerSchema = z
  .object({
    id: Uuid.describe('社工 ID；也是该社工令牌的 sub / worker id, and the sub of their token'),
    name: z.string().describe('姓名 / name'),
    level: WorkerLevelSchema.describe('社工层级 / level'),
    phone: z.string().describe('电话，非管理员看到脱敏后的号码 / phone, masked unless admin'),
    idNumber: z.string().describe('身份证号，非管理员看到脱敏后的号码（530626**********12）/ masked unless the caller is admin'),
    townId: Uuid.nullable().describe('所在乡镇 ID / town, or null'),
    villageId: Uuid.nullable().describe('所在村 ID / village, or null'),
    hiredOn: z.string().describe('聘用日期 / hired on'),
    leftOn: z.string().nullable().describe('离职日期，在职为 null / left on, or null'),
    status: z.enum(['employed', 'left']).describe('在职状态 / employment status'),
    certificationLevel: z.string().nullable().describe('最高职业资格代码，见代码表 certificate_level / highest qualification'),
    version: z.number().int().describe('版本号，即 ETag，修改时放入 If-Match / version; send it as If-Match'),
    certifications: z
      .array(
        z.object({
          level: z.string().describe('资格等级代码 / level'),
          certificateNumber: z.string().describe('证书编号 / certificate number'),
          certifiedOn: z.string().describe('取得日期 / certified on'),
        }),
      )
      .optional()
      .describe('职业资格证书 / certificates'),
    links: z
      .array(
        z.object({
          kind: z.string().describe('关联类型 / kind of link'),
          targetId: z.string().describe('关联的乡镇或社工 ID / linked town or worker'),
          from: z.string().describe('起始日期 / from'),
          to: z.string().nullable().describe('终止日期，无则为 null / to, or null'),
        }),
      )
      .optional()
      .describe('联系的乡镇或村社工 / linked towns or village workers'),
    responsibleFor: z
      .array(
        z.object({
          groupId: z.string().describe('村民小组 ID / villager group'),
          from: z.string().describe('起始日期 / from'),
          to: z.string().nullable().describe('终止日期，无则为 null / to, or null'),
        }),
      )
      .optional()
      .describe('负责的村民小组 / groups the worker is responsible for'),
  })
  .meta({ id: 'Worker' });

export const RegisterWorkerBody = z.object({
  name: z.string().trim().min(1).max(50),
  level: WorkerLevelSchema,
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\- ]{5,20}$/, fieldMessage('phone.invalid')),
  idNumber: z.string().trim().refine(isValidNationalId, fieldMessage('id_number.invalid')),
  hireDate: Day,
  posting: z.object({ townId: Uuid.optional(), villageId: Uuid.optional() }).optional(),
});

export const TrainingSessionSchema = z
  .object({ id: Uuid, title: z.string(), heldOn: z.string(), kind: z.string(), version: z.number().int(), attendees: z.number().int() })
  .meta({ id: 'TrainingSession' });
export const PairSchema = z.object({ id: Uuid, mentorId: Uuid, menteeId: Uuid, from: z.string(), to: z.string().nullable() }).meta({ id: 'MentoringPair' });
