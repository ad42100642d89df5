import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { WorkforceService } from '../../../application/workforce/workforce.service';
import { CertificationLevelSchema } from '../../../domain/workforce/worker.events';
import { WorkerLevelSchema } from '../../../domain/workforce/worker-facts';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { etag, IdParamsSchema, IfMatchHeaders, PageQuerySchema, pageOf, parseIfMatch } from '../../schemas';
import { GroupSchema } from '../geography/geography.schemas';
import { sendVersioned } from '../../route-helpers';
import { readerOf } from '../../route-helpers';
import { Day, RegisterWorkerBody, Uuid, WorkerSchema } from './workforce.schemas';

/** Workers: register, list, read, leave, postings, certifications, links, handover; the responsible worker of a villager group (包保). */
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
};
