import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../../application/permissions/permissions';
import { NotFoundError } from '../../application/errors';
import { operationsPermissions } from '../../application/permissions/operations.permissions';
import { problemResponses } from '../problem';
import type { AppDeps } from '../route-deps';

const ProjectionStatusSchema = z
  .object({
    name: z.string(),
    mode: z.enum(['async', 'inline']),
    state: z.string(),
    position: z.string(),
    lag: z.number().int(),
    eventsApplied: z.number().int(),
    lastError: z.object({ message: z.string(), at: z.string(), attempts: z.number().int() }).nullable(),
    updatedAt: z.string().nullable(),
    stalled: z.boolean().describe('为 true 时有滞后且超过 PROJECTION_STALL_AFTER_MS 没有进展 / lag above zero and no progress for PROJECTION_STALL_AFTER_MS'),
    lastProgressAt: z.string().nullable(),
    heldBackBy: z
      .object({
        pid: z.number().int(),
        database: z.string().nullable(),
        user: z.string().nullable(),
        applicationName: z.string().nullable(),
        state: z.string().nullable(),
        transactionStartedAt: z.string().nullable(),
        stateChangedAt: z.string().nullable(),
        backendXid: z.string().nullable(),
        backendXmin: z.string().nullable(),
      })
      .nullable()
      .describe(
        '在 PostgreSQL 上停滞时：服务器上最早的未结束事务（任何数据库，取自 pg_stat_activity） / while stalled on PostgreSQL: the oldest open transaction on the server (any database), from pg_stat_activity',
      ),
  })
  .meta({ id: 'ProjectionStatus' });

const VerifyReportSchema = z
  .object({
    ok: z.boolean(),
    streamsChecked: z.number().int(),
    eventsChecked: z.number().int(),
    broken: z.array(z.object({ streamId: z.string(), version: z.number().int(), eventId: z.string().nullable(), reason: z.string() })),
  })
  .meta({ id: 'VerifyReport' });

export const operationsRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/projections',
    {
      schema: {
        tags: ['operations'],
        summary: 'Projection status: position, lag, state, last error',
        response: { 200: z.object({ items: z.array(ProjectionStatusSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      await authorize(request.actor, operationsPermissions.viewProjections, undefined, 'view projections');
      return { items: await deps.projections.status() };
    },
  );

  app.post(
    '/api/v1/projections/:name/rebuild',
    {
      schema: {
        tags: ['operations'],
        summary: 'Rebuild a projection from zero while the service runs (admin)',
        params: z.object({ name: z.string().min(1).max(100) }),
        response: { 202: z.object({ name: z.string(), state: z.string() }), ...problemResponses },
      },
    },
    async (request, reply) => {
      await authorize(request.actor, operationsPermissions.rebuildProjection, undefined, 'rebuild projections');
      const { name } = request.params;
      if (!deps.projections.names.includes(name)) throw new NotFoundError('projection', name);
      await deps.projections.rebuild(name);
      request.log.info({ projection: name, actor: request.actor.id }, 'projection rebuild started');
      return reply.status(202).send({ name, state: 'rebuilding' });
    },
  );

  app.post(
    '/api/v1/projections/rebuild',
    {
      schema: {
        tags: ['operations'],
        summary: 'Rebuild several projections (all without names) from one pass over the log while the service runs (admin)',
        body: z
          .object({ names: z.array(z.string().min(1).max(100)).min(1).max(50).optional() })
          .strict()
          .nullish(),
        response: { 202: z.object({ names: z.array(z.string()), state: z.string() }), ...problemResponses },
      },
    },
    async (request, reply) => {
      await authorize(request.actor, operationsPermissions.rebuildProjection, undefined, 'rebuild projections');
      // An unknown name is refused before anything is rebuilt.
      const rebuilt = await deps.projections.rebuildAll(request.body?.names ?? []);
      request.log.info({ projections: rebuilt, actor: request.actor.id }, 'projections rebuilt');
      return reply.status(202).send({ names: rebuilt, state: 'rebuilding' });
    },
  );

  app.get(
    '/api/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Recompute every hash chain and report the first broken link per stream (auditor, admin)',
        querystring: z.object({ streamId: z.string().min(1).max(300).optional() }),
        response: { 200: VerifyReportSchema, ...problemResponses },
      },
    },
    async (request) => {
      await authorize(request.actor, operationsPermissions.verifyLog, undefined, 'verify the event log');
      const report = await deps.store.verify(request.query.streamId ? { streamId: request.query.streamId } : {});
      return { ok: report.broken.length === 0, ...report };
    },
  );
};
