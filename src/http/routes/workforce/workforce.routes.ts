import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { WorkforceService } from '../../../application/workforce/workforce.service';
import { isValidNationalId } from '../../../domain/shared/national-id';
import { TrainingKindSchema } from '../../../domain/workforce/training-session.events';
import { CertificationLevelSchema } from '../../../domain/workforce/worker.events';
import { WorkerLevelSchema } from '../../../domain/workforce/worker-facts';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { etag, IdParamsSchema, IfMatchHeaders, PageQuerySchema, pageOf, parseIfMatch } from '../../schemas';
import { GroupSchema } from '../geography/geography.schemas';
import { sendVersioned } from '../../route-helpers';
import { readerOf } from '../../route-helpers';

const Day = z.iso.date();
const Uuid = z.string().uuid();

const WorkerSchema = z
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

const RegisterWorkerBody = z.object({
  name: z.string().trim().min(1).max(50),
  level: WorkerLevelSchema,
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\- ]{5,20}$/, 'a phone number is 5–20 digits'),
  idNumber: z.string().trim().refine(isValidNationalId, 'not a valid national ID number (18 characters, GB 11643 check digit)'),
  hireDate: Day,
  posting: z.object({ townId: Uuid.optional(), villageId: Uuid.optional() }).optional(),
});

export const workforceRoutes: FastifyPluginAsyncZod<{ workforce: WorkforceService; clock: Clock }> = async (app, { workforce, clock }) => {
  const reader = readerOf(clock);
  const ifMatch = (request: { headers: Record<string, unknown> }) => parseIfMatch(request.headers['if-match'] as string | undefined);

  app.post(
    '/api/v1/workers',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Hire (register) a social worker (admin)',
        body: RegisterWorkerBody,
        response: { 201: WorkerSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const worker = await workforce.registerWorker(commandContext(request, clock), request.body);
      reply.header('location', `/api/v1/workers/${worker.id}`);
      return sendVersioned(reply, worker, 201);
    },
  );
  app.get(
    '/api/v1/workers',
    {
      schema: {
        tags: ['workforce'],
        summary: 'List workers in your jurisdiction',
        querystring: PageQuerySchema.extend({ level: WorkerLevelSchema.optional(), town: Uuid.optional(), status: z.enum(['employed', 'left']).optional() }),
        response: { 200: pageOf(WorkerSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, level, town, status } = request.query;
      return workforce.listWorkers(
        reader(request),
        { ...(level ? { level } : {}), ...(town ? { townId: town } : {}), ...(status ? { status } : {}) },
        { limit, cursor },
      );
    },
  );
  app.get(
    '/api/v1/workers/:id',
    {
      schema: {
        tags: ['workforce'],
        summary: 'One worker with certifications, links and groups',
        params: IdParamsSchema,
        response: { 200: WorkerSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await workforce.getWorker(reader(request), request.params.id)),
  );
  app.post(
    '/api/v1/workers/:id/leave',
    {
      schema: {
        tags: ['workforce'],
        summary: 'End employment; refused while the worker is responsible for groups (hand them over first)',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ leftOn: Day }),
        response: { 200: WorkerSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(reply, await workforce.leave(commandContext(request, clock), request.params.id, request.body.leftOn, ifMatch(request))),
  );
  app.post(
    '/api/v1/workers/:id/postings',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Post a worker to a town (town worker) or a village (village worker)',
        params: IdParamsSchema,
        body: z
          .object({ townId: Uuid.optional(), villageId: Uuid.optional(), from: Day })
          .refine((b) => !!b.townId !== !!b.villageId, { message: 'give exactly one of townId or villageId', path: ['townId'] }),
        response: { 200: WorkerSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await workforce.postWorker(commandContext(request, clock), request.params.id, request.body)),
  );
  app.post(
    '/api/v1/workers/:id/certifications',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Record a social-work certificate (社工证)',
        params: IdParamsSchema,
        body: z.object({ level: CertificationLevelSchema, certificateNumber: z.string().trim().min(1).max(50), certifiedOn: Day }),
        response: { 200: WorkerSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await workforce.recordCertification(commandContext(request, clock), request.params.id, request.body)),
  );
  app.post(
    '/api/v1/workers/:id/town-links',
    {
      schema: {
        tags: ['workforce'],
        summary: 'A county worker links a town (挂联)',
        params: IdParamsSchema,
        body: z.object({ townId: Uuid, from: Day, to: Day.nullable().optional() }),
        response: { 200: WorkerSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await workforce.linkTown(commandContext(request, clock), request.params.id, request.body)),
  );
  app.post(
    '/api/v1/workers/:id/town-links/:townId/end',
    {
      schema: {
        tags: ['workforce'],
        summary: 'End a town link',
        params: IdParamsSchema.extend({ townId: Uuid }),
        body: z.object({ to: Day }),
        response: { 200: WorkerSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(reply, await workforce.endTownLink(commandContext(request, clock), request.params.id, request.params.townId, request.body.to)),
  );
  app.post(
    '/api/v1/workers/:id/village-worker-links',
    {
      schema: {
        tags: ['workforce'],
        summary: 'A town worker links a village worker',
        params: IdParamsSchema,
        body: z.object({ villageWorkerId: Uuid, from: Day, to: Day.nullable().optional() }),
        response: { 200: WorkerSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await workforce.linkVillageWorker(commandContext(request, clock), request.params.id, request.body)),
  );
  app.post(
    '/api/v1/workers/:id/village-worker-links/:villageWorkerId/end',
    {
      schema: {
        tags: ['workforce'],
        summary: 'End a village-worker link',
        params: IdParamsSchema.extend({ villageWorkerId: Uuid }),
        body: z.object({ to: Day }),
        response: { 200: WorkerSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(
        reply,
        await workforce.endVillageWorkerLink(commandContext(request, clock), request.params.id, request.params.villageWorkerId, request.body.to),
      ),
  );
  app.post(
    '/api/v1/workers/:id/handover',
    {
      schema: {
        tags: ['workforce'],
        summary: "Hand all of a worker's villager groups to another worker in one command",
        params: IdParamsSchema,
        body: z.object({ toWorkerId: Uuid, from: Day }),
        response: { 200: z.object({ handedOver: z.array(Uuid), failed: z.array(z.object({ groupId: Uuid, reason: z.string() })) }), ...problemResponses },
      },
    },
    async (request) => workforce.handOverGroups(commandContext(request, clock), request.params.id, request.body),
  );

  // 包保: the responsible worker of a villager group.
  app.put(
    '/api/v1/groups/:id/responsible-worker',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Make a worker responsible for a villager group (包保); ends the previous assignment in the same event',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ workerId: Uuid, from: Day }),
        response: { 200: GroupSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const group = await workforce.assignGroupResponsibility(commandContext(request, clock), request.params.id, request.body, ifMatch(request));
      return reply.header('etag', etag(group.version)).send(group);
    },
  );
  app.post(
    '/api/v1/groups/:id/responsible-worker/end',
    {
      schema: {
        tags: ['workforce'],
        summary: "End a group's responsibility without a successor (the group becomes a gap)",
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ to: Day }),
        response: { 200: GroupSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const group = await workforce.endGroupResponsibility(commandContext(request, clock), request.params.id, request.body.to, ifMatch(request));
      return reply.header('etag', etag(group.version)).send(group);
    },
  );

  // Training sessions and mentoring pairs (老带新).
  const TrainingSessionSchema = z
    .object({ id: Uuid, title: z.string(), heldOn: z.string(), kind: z.string(), version: z.number().int(), attendees: z.number().int() })
    .meta({ id: 'TrainingSession' });
  app.post(
    '/api/v1/training-sessions',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Record a training session, optionally with its attendees',
        body: z.object({ title: z.string().trim().min(1).max(200), heldOn: Day, kind: TrainingKindSchema, attendeeIds: z.array(Uuid).max(1000).optional() }),
        response: { 201: z.object({ id: Uuid }), ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await workforce.recordTrainingSession(commandContext(request, clock), request.body)),
  );
  app.post(
    '/api/v1/training-sessions/:id/attendance',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Record who attended a training session',
        params: IdParamsSchema,
        body: z.object({ workerIds: z.array(Uuid).min(1).max(1000) }),
        response: { 200: z.object({ id: Uuid }), ...problemResponses },
      },
    },
    async (request) => workforce.recordAttendance(commandContext(request, clock), request.params.id, request.body.workerIds),
  );
  app.get(
    '/api/v1/training-sessions',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Training sessions, newest first',
        querystring: PageQuerySchema,
        response: { 200: pageOf(TrainingSessionSchema), ...problemResponses },
      },
    },
    async (request) => workforce.listTrainingSessions(reader(request), request.query),
  );
  const PairSchema = z.object({ id: Uuid, mentorId: Uuid, menteeId: Uuid, from: z.string(), to: z.string().nullable() }).meta({ id: 'MentoringPair' });
  app.post(
    '/api/v1/mentoring-pairs',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Form a mentoring pair (老带新)',
        body: z.object({ mentorId: Uuid, menteeId: Uuid, from: Day, to: Day.nullable().optional() }),
        response: { 201: z.object({ id: Uuid }), ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await workforce.formMentoringPair(commandContext(request, clock), request.body)),
  );
  app.post(
    '/api/v1/mentoring-pairs/:id/end',
    {
      schema: {
        tags: ['workforce'],
        summary: 'End a mentoring pair',
        params: IdParamsSchema,
        body: z.object({ to: Day }),
        response: { 200: z.object({ id: Uuid }), ...problemResponses },
      },
    },
    async (request) => workforce.endMentoringPair(commandContext(request, clock), request.params.id, request.body.to),
  );
  app.get(
    '/api/v1/mentoring-pairs',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Mentoring pairs, newest first',
        querystring: PageQuerySchema,
        response: { 200: pageOf(PairSchema), ...problemResponses },
      },
    },
    async (request) => workforce.listMentoringPairs(reader(request), request.query),
  );
};
