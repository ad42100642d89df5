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
const HouseholdSchema = z
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

const DueItemSchema = z.object({
  obligation: z.enum(['group_monthly_visit', 'household_monthly_visit', 'dynamic_review']),
  groupId: Uuid,
  villageId: Uuid,
  townId: Uuid,
  workerId: Uuid.nullable(),
  householdId: Uuid.nullable(),
  month: z.string().nullable(),
  dueDate: z.string(),
  status: z.enum(['done', 'due', 'overdue']),
  lastVisit: z.string().nullable(),
  interval: z.object({ months: z.number(), reason: z.string() }).nullable(),
});
const ScheduleSchema = z.object({ asOf: z.string(), policyVersion: z.number().int(), items: z.array(DueItemSchema) });
const ScheduleQuery = z.object({ worker: Uuid.optional(), village: Uuid.optional(), town: Uuid.optional() });

export const householdRoutes: FastifyPluginAsyncZod<{ households: HouseholdsService; clock: Clock }> = async (app, { households, clock }) => {
  const reader = readerOf(clock);

  app.post(
    '/api/v1/households',
    {
      schema: {
        tags: ['households'],
        summary: 'Register a household in a villager group, with its members',
        body: z.object({
          groupId: Uuid,
          address: z.string().max(200).nullable().optional(),
          incomeStability: z.enum(['stable', 'unstable']).default('stable'),
          members: z.array(MemberBody).min(1).max(30),
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
            workerId: Uuid.optional().describe('admin only: the worker who visited; workers record their own visits'),
            householdId: Uuid.optional(),
            groupId: Uuid.optional(),
            date: Day,
            kind: VisitKindSchema,
            findings: z.string().trim().max(5000).default(''),
            followUpActions: z.array(z.string().trim().min(1).max(500)).max(50).default([]),
            peopleServed: z.number().int().min(0).max(10_000).optional(),
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
