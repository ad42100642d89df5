import { z } from 'zod';
import { VisitKindSchema } from '../../../domain/visits/visit';

export const Day = z.iso.date();
export const Uuid = z.string().uuid();

/** A recorded visit as the visit list answers it. */
export const VisitSchema = z
  .object({
    id: Uuid,
    workerId: Uuid,
    householdId: Uuid.nullable(),
    groupId: Uuid,
    villageId: Uuid,
    townId: Uuid,
    date: z.string(),
    kind: z.string(),
    findings: z.string(),
    followUpActions: z.array(z.string()),
    peopleServed: z.number().int(),
    late: z.boolean(),
    recordedAt: z.string(),
  })
  .meta({ id: 'Visit' });

/** What a front end sends to record one visit (POST /visits, and each item of POST /visits/batch). */
export const RecordVisitFields = z.object({
  workerId: Uuid.optional().describe(
    '走访社工 ID：管理员代为记录时必填（否则 422 visit.worker_required）；社工记录自己的走访时不填，取令牌的 sub / admin: required, the worker who visited; workers leave it out',
  ),
  householdId: Uuid.optional().describe('走访的家庭 ID（与 groupId 二选一）/ the household visited (or groupId)'),
  groupId: Uuid.optional().describe('走访的村民小组 ID（与 householdId 二选一）/ the villager group visited (or householdId)'),
  date: Day.describe('走访日期（YYYY-MM-DD），不晚于今天 / date of the visit'),
  kind: VisitKindSchema.describe('走访类型 / kind of visit'),
  findings: z.string().trim().max(5000).default('').describe('走访发现 / what was found'),
  followUpActions: z.array(z.string().trim().min(1).max(500)).max(50).default([]).describe('后续措施 / follow-up actions'),
  peopleServed: z.number().int().min(0).max(10_000).optional().describe('服务人数 / people served'),
});

const oneTarget = (b: { householdId?: string | undefined; groupId?: string | undefined }) => !!b.householdId !== !!b.groupId;
const ONE_TARGET = { message: 'give exactly one of householdId or groupId', path: ['householdId'] };

export const RecordVisitBody = RecordVisitFields.refine(oneTarget, ONE_TARGET);

/** What recording a visit answers. */
export const RecordedVisitSchema = z.object({ id: Uuid, late: z.boolean(), policyVersion: z.number().int() });
