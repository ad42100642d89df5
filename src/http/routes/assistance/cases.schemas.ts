import { z } from 'zod';
import { ProgramSchema } from '../../../domain/assistance/case.events';
import { PageQuerySchema } from '../../schemas';
import { Day, Uuid } from './assistance.schemas';

/** Request and response shapes of the case routes (apply, list, read); a case as every case route answers it. */
export const CaseSchema = z
  .object({
    id: Uuid.describe('案件 ID / case id'),
    program: z.string().describe('救助项目代码，见代码表 program（dibao=低保 …）/ programme code'),
    householdId: Uuid.describe('家庭 ID / household'),
    applicantPersonId: Uuid.describe('申请人（家庭成员）ID / the applicant'),
    groupId: Uuid.describe('村民小组 ID / villager group'),
    villageId: Uuid.describe('村 ID / village'),
    townId: Uuid.describe('乡镇 ID / town'),
    channel: z.string().describe('申请渠道代码，见代码表 application_channel / channel'),
    status: z.string().describe('案件所处环节 / the step the case is at'),
    relativeOf: z.unknown().describe('申请人为工作人员或村干部近亲属时的说明，否则为 null / relative of a worker or cadre, or null'),
    startedByWorkerId: Uuid.nullable().describe('主动发现并发起的社工 ID / the worker who started it, or null'),
    appliedOn: z.string().describe('申请日期 / applied on'),
    acceptedOn: z.string().nullable().describe('受理日期 / accepted on, or null'),
    dueDates: z.record(z.string(), z.string().nullable()).describe('各环节的法定期限 / statutory due dates per step'),
    overdue: z.array(z.string()).describe('已逾期的环节 / steps past their due date'),
    paymentInForce: z
      .object({
        monthlyFen: z.number().describe('每月金额（分）/ monthly amount in fen'),
        from: z.string().describe('起始月份 / from'),
        to: z.string().nullable().describe('终止月份，无则为 null / to, or null'),
      })
      .nullable()
      .describe('生效的按月救助，无则为 null / the monthly payment in force, or null'),
    paidFen: z.number().int().describe('累计已发放（分）/ paid so far, in fen'),
    migrated: z
      .object({
        importId: z.string().describe('存量导入 ID / legacy import'),
        fileSha256: z.string().describe('导入文件的 SHA-256 / hash of the file'),
        row: z.number().int().describe('文件中的行号 / row of the file'),
        reason: z.string().describe('导入理由 / reason'),
      })
      .nullable()
      .describe('由存量花名册导入时的来源，否则为 null / where a migrated case came from, or null'),
    lastReturn: z
      .object({ on: z.string().describe('退回日期 / returned on'), reasons: z.string().describe('退回理由 / reasons') })
      .nullable()
      .describe('最近一次退回，无则为 null / the last return, or null'),
    version: z.number().int().describe('版本号，即 ETag，修改时放入 If-Match / version; send it as If-Match'),
  })
  .meta({ id: 'AssistanceCase' });

export const ApplyBody = z.object({
  program: ProgramSchema,
  householdId: Uuid,
  applicantPersonId: Uuid,
  channel: z.enum(['self', 'proactive', 'emergency']),
  trigger: z
    .object({ kind: z.enum(['visit', 'finding']), id: z.string().min(1).max(100) })
    .nullable()
    .optional(),
  relativeOf: z
    .object({
      kind: z.enum(['social_worker', 'village_cadre']),
      workerId: Uuid.nullable().optional(),
      name: z.string().min(1).max(50),
      relation: z.string().min(1).max(50),
    })
    .nullable()
    .optional(),
  appliedOn: Day.optional(),
});

export const CaseListQuery = PageQuerySchema.extend({
  program: ProgramSchema.optional(),
  status: z.string().max(30).optional(),
  town: Uuid.optional(),
  village: Uuid.optional(),
  household: Uuid.optional(),
  overdue: z.enum(['true', 'false']).optional(),
});
