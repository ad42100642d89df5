import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { HouseholdsService } from '../../../application/households/households.service';
import { DisabilityTypeSchema, LabourCapacitySchema, RelationSchema, SchoolStatusSchema, SpecialGroupSchema } from '../../../domain/households/person';
import { isValidNationalId } from '../../../domain/shared/national-id';
import { SchedulePolicySchema } from '../../../domain/visits/schedule-policy';
import { VisitKindSchema } from '../../../domain/visits/visit';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { IdParamsSchema, IfMatchHeaders, PageQuerySchema, pageOf } from '../../schemas';
import { readerOf, sendVersioned, ifMatchOf } from '../../route-helpers';

const Day = z.iso.date();
const Uuid = z.string().uuid();

const MemberBody = z.object({
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
const HouseholdSchema = z
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

const DueItemSchema = z.object({
  obligation: z.enum(['group_monthly_visit', 'household_monthly_visit', 'dynamic_review']).describe('走访义务 / visit obligation'),
  groupId: Uuid.describe('村民小组 ID / villager group'),
  villageId: Uuid.describe('村 ID / village'),
  townId: Uuid.describe('乡镇 ID / town'),
  workerId: Uuid.nullable().describe('责任社工 ID，无则为 null / responsible worker, or null'),
  householdId: Uuid.nullable().describe('家庭 ID；小组走访为 null / household, or null for a group visit'),
  month: z.string().nullable().describe('月份（YYYY-MM）/ month'),
  dueDate: z.string().describe('应完成日期 / due date'),
  status: z.enum(['done', 'due', 'overdue']).describe('完成情况 / status'),
  lastVisit: z.string().nullable().describe('上次走访日期 / last visit, or null'),
  interval: z
    .object({
      months: z.number().describe('间隔月数 / months between visits'),
      reason: z.string().describe('间隔依据 / why'),
    })
    .nullable()
    .describe('复核间隔（动态复核）/ review interval'),
});
const ScheduleSchema = z.object({
  asOf: z.string().describe('计算日期 / as of'),
  policyVersion: z.number().int().describe('所依据的走访频次政策版本 / schedule policy version'),
  items: z.array(DueItemSchema).describe('应走访事项 / what is due'),
});
const ScheduleQuery = z.object({
  worker: Uuid.optional().describe('按社工筛选 / filter by worker'),
  village: Uuid.optional().describe('按村筛选 / filter by village'),
  town: Uuid.optional().describe('按乡镇筛选 / filter by town'),
});

export const householdRoutes: FastifyPluginAsyncZod<{ households: HouseholdsService; clock: Clock }> = async (app, { households, clock }) => {
  const reader = readerOf(clock);

  app.post(
    '/api/v1/households',
    {
      schema: {
        tags: ['households'],
        summary: 'Register a household in a villager group, with its members',
        body: z.object({
          groupId: Uuid.describe('所在村民小组 ID / id of the villager group'),
          address: z.string().max(200).nullable().optional().describe('住址 / address'),
          incomeStability: z.enum(['stable', 'unstable']).default('stable').describe('收入稳定性 / income stability'),
          members: z.array(MemberBody).min(1).max(30).describe('家庭成员（1–30 人，恰有一名户主）/ members, exactly one head'),
        }),
        response: { 201: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const household = await households.register(commandContext(request, clock), request.body);
      reply.header('location', `/api/v1/households/${household.id}`);
      return sendVersioned(reply, household, 201);
    },
  );
  app.get(
    '/api/v1/households',
    {
      schema: {
        tags: ['households'],
        summary: 'Search households: member name, ID number (exact), group, village, town, special group',
        querystring: PageQuerySchema.extend({
          name: z.string().trim().min(1).max(50).optional(),
          idNumber: z.string().trim().length(18).optional(),
          group: Uuid.optional(),
          village: Uuid.optional(),
          town: Uuid.optional(),
          specialGroup: SpecialGroupSchema.optional(),
        }),
        response: { 200: pageOf(HouseholdSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, name, idNumber, group, village, town, specialGroup } = request.query;
      const filter = {
        ...(name ? { name } : {}),
        ...(idNumber ? { idNumber } : {}),
        ...(group ? { groupId: group } : {}),
        ...(village ? { villageId: village } : {}),
        ...(town ? { townId: town } : {}),
        ...(specialGroup ? { specialGroup } : {}),
      };
      return households.search(reader(request), filter, { limit, cursor });
    },
  );
  app.get(
    '/api/v1/households/:id',
    { schema: { tags: ['households'], summary: 'One household', params: IdParamsSchema, response: { 200: HouseholdSchema, ...problemResponses } } },
    async (request, reply) => sendVersioned(reply, await households.get(reader(request), request.params.id)),
  );
  app.post(
    '/api/v1/households/:id/members',
    {
      schema: {
        tags: ['households'],
        summary: 'Add a member',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: MemberBody,
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(reply, await households.addMember(commandContext(request, clock), request.params.id, request.body, ifMatchOf(request))),
  );
  app.put(
    '/api/v1/households/:id/members/:personId',
    {
      schema: {
        tags: ['households'],
        summary: 'Change a member',
        params: IdParamsSchema.extend({ personId: Uuid }),
        headers: IfMatchHeaders,
        body: MemberBody,
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(
        reply,
        await households.updateMember(commandContext(request, clock), request.params.id, request.params.personId, request.body, ifMatchOf(request)),
      ),
  );
  app.post(
    '/api/v1/households/:id/members/:personId/remove',
    {
      schema: {
        tags: ['households'],
        summary: 'Remove a member, with the reason',
        params: IdParamsSchema.extend({ personId: Uuid }),
        headers: IfMatchHeaders,
        body: z.object({ reason: z.string().trim().min(1).max(500) }),
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(
        reply,
        await households.removeMember(commandContext(request, clock), request.params.id, request.params.personId, request.body.reason, ifMatchOf(request)),
      ),
  );
  app.post(
    '/api/v1/households/:id/circumstances',
    {
      schema: {
        tags: ['households'],
        summary: 'Record a change in circumstances',
        params: IdParamsSchema,
        body: z.object({
          on: Day,
          category: z.enum(['income', 'health', 'housing', 'family', 'education', 'disaster', 'other']),
          description: z.string().trim().min(1).max(2000),
          incomeStability: z.enum(['stable', 'unstable']).nullable().optional(),
        }),
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await households.recordCircumstances(commandContext(request, clock), request.params.id, request.body)),
  );
  app.post(
    '/api/v1/households/:id/move',
    {
      schema: {
        tags: ['households'],
        summary: 'Move a household to another villager group (its responsible worker changes with it)',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ toGroupId: Uuid, on: Day }),
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await households.move(commandContext(request, clock), request.params.id, request.body, ifMatchOf(request))),
  );
  app.post(
    '/api/v1/households/:id/special-groups',
    {
      schema: {
        tags: ['households'],
        summary: 'Record a special-group membership of the household or one member, dated',
        params: IdParamsSchema,
        body: z.object({
          group: SpecialGroupSchema,
          personId: Uuid.nullable().optional(),
          riskLevel: z.number().int().min(0).max(5).nullable().optional(),
          from: Day,
          to: Day.nullable().optional(),
        }),
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await households.joinSpecialGroup(commandContext(request, clock), request.params.id, request.body)),
  );
  app.post(
    '/api/v1/households/:id/special-groups/:membershipId/end',
    {
      schema: {
        tags: ['households'],
        summary: 'End a special-group membership',
        params: IdParamsSchema.extend({ membershipId: Uuid }),
        body: z.object({ to: Day }),
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(reply, await households.leaveSpecialGroup(commandContext(request, clock), request.params.id, request.params.membershipId, request.body.to)),
  );

  // ── Visits ─────────────────────────────────────────────────────────────────
  const VisitSchema = z
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
  app.post(
    '/api/v1/visits',
    {
      schema: {
        tags: ['visits'],
        summary: 'Record a visit (走访) to a household or a whole villager group',
        body: z
          .object({
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
          })
          .refine((b) => !!b.householdId !== !!b.groupId, { message: 'give exactly one of householdId or groupId', path: ['householdId'] }),
        response: { 201: z.object({ id: Uuid, late: z.boolean(), policyVersion: z.number().int() }), ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await households.recordVisit(commandContext(request, clock), request.body)),
  );
  app.get(
    '/api/v1/visits',
    {
      schema: {
        tags: ['visits'],
        summary: 'Visits, newest first',
        querystring: PageQuerySchema.extend({
          worker: Uuid.optional(),
          household: Uuid.optional(),
          group: Uuid.optional(),
          from: Day.optional(),
          to: Day.optional(),
          kind: VisitKindSchema.optional(),
        }),
        response: { 200: pageOf(VisitSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, worker, household, group, from, to, kind } = request.query;
      const filter = {
        ...(worker ? { workerId: worker } : {}),
        ...(household ? { householdId: household } : {}),
        ...(group ? { groupId: group } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(kind ? { kind } : {}),
      };
      return households.listVisits(reader(request), filter, { limit, cursor });
    },
  );
  app.get(
    '/api/v1/visits/monthly',
    {
      schema: {
        tags: ['visits'],
        summary: 'Visits and person-times (人次) per month and town',
        querystring: z.object({ from: z.string().regex(/^\d{4}-\d{2}$/), to: z.string().regex(/^\d{4}-\d{2}$/) }),
        response: {
          200: z.object({ items: z.array(z.object({ month: z.string(), townId: Uuid, visits: z.number(), personTimes: z.number(), households: z.number() })) }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const last = new Date(Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5, 7)), 0)).toISOString().slice(0, 10);
      return { items: await households.visitStats(reader(request), `${from}-01`, last) };
    },
  );

  // ── Schedules ──────────────────────────────────────────────────────────────
  const scopeOf = (q: z.infer<typeof ScheduleQuery>) => ({
    ...(q.worker ? { workerId: q.worker } : {}),
    ...(q.village ? { villageId: q.village } : {}),
    ...(q.town ? { townId: q.town } : {}),
  });
  app.get(
    '/api/v1/schedule/overdue',
    {
      schema: {
        tags: ['visits'],
        summary: 'Monthly visits and dynamic reviews past their due date, per worker / village / town',
        querystring: ScheduleQuery,
        response: { 200: ScheduleSchema, ...problemResponses },
      },
    },
    async (request) => {
      const schedule = await households.schedule(reader(request), scopeOf(request.query));
      return { ...schedule, items: schedule.items.filter((i) => i.status === 'overdue') };
    },
  );
  app.get(
    '/api/v1/schedule/due',
    {
      schema: {
        tags: ['visits'],
        summary: 'What falls due within a window (e.g. ?within=7d), not yet done',
        querystring: ScheduleQuery.extend({
          within: z
            .string()
            .regex(/^\d{1,3}d$/, 'a number of days, e.g. 7d')
            .default('7d'),
        }),
        response: { 200: ScheduleSchema, ...problemResponses },
      },
    },
    async (request) => {
      const schedule = await households.schedule(reader(request), scopeOf(request.query));
      const horizon = new Date(Date.parse(`${schedule.asOf}T00:00:00Z`) + Number(request.query.within.slice(0, -1)) * 86_400_000).toISOString().slice(0, 10);
      return { ...schedule, items: schedule.items.filter((i) => i.status === 'due' && i.dueDate <= horizon) };
    },
  );
  app.get(
    '/api/v1/workers/:id/caseload',
    {
      schema: {
        tags: ['visits'],
        summary: "A worker's caseload: groups, households, what is due and overdue",
        params: IdParamsSchema,
        response: {
          200: z.object({
            workerId: Uuid,
            asOf: z.string(),
            groups: z.array(Uuid),
            households: z.array(Uuid),
            due: z.array(DueItemSchema),
            overdue: z.array(DueItemSchema),
            done: z.number().int(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const schedule = await households.schedule(reader(request), { workerId: request.params.id });
      const items = schedule.items;
      return {
        workerId: request.params.id,
        asOf: schedule.asOf,
        groups: [...new Set(items.map((i) => i.groupId))],
        households: [...new Set(items.flatMap((i) => (i.householdId ? [i.householdId] : [])))],
        due: items.filter((i) => i.status === 'due'),
        overdue: items.filter((i) => i.status === 'overdue'),
        done: items.filter((i) => i.status === 'done').length,
      };
    },
  );
  app.get(
    '/api/v1/schedule-policies',
    {
      schema: {
        tags: ['visits'],
        summary: 'Schedule policy versions',
        response: { 200: z.object({ items: z.array(SchedulePolicySchema) }), ...problemResponses },
      },
    },
    async () => ({
      items: await households.policies(),
    }),
  );
  app.post(
    '/api/v1/schedule-policies',
    {
      schema: {
        tags: ['visits'],
        summary: 'Add a schedule policy version with an effective date (admin)',
        body: SchedulePolicySchema.omit({ version: true }),
        response: { 201: SchedulePolicySchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await households.addSchedulePolicy(commandContext(request, clock), request.body)),
  );
};
