import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { migrationsPending } from '../../storage/migrate';
import type { AppDeps } from '../route-deps';

const DemoStatusSchema = z.object({
  date: z.string().describe("县时钟的当前时间（ISO 8601） / the county's clock now (ISO instant)"),
  countyDay: z.string().describe("县里的当日（Asia/Shanghai） / the county's day (Asia/Shanghai)"),
  clockOffsetMs: z.number().int().describe('县时钟与真实时钟之差（毫秒） / county clock minus real clock'),
  load: z.object({
    state: z.enum(['waiting', 'loading', 'loaded', 'failed']),
    scale: z.string(),
    seed: z.string(),
    chapter: z.string().nullable(),
    done: z.number().int(),
    total: z.number().int(),
    loadedAt: z.string().optional(),
    error: z.string().optional(),
  }),
});

/** Readiness fails while projections lag by more than this many events. */
const MAX_READY_LAG = 10_000;

export const healthRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        tags: ['ops'],
        summary: '存活检查 / liveness',
        response: { 200: z.object({ status: z.literal('ok').describe('服务在运行 / the process is up') }) },
      },
    },
    async () => ({
      status: 'ok' as const,
    }),
  );

  const ReadySchema = z.object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({
      database: z.object({ ok: z.boolean(), backend: z.string(), error: z.string().optional() }),
      migrations: z.object({ ok: z.boolean(), pending: z.number().int() }),
      projections: z.object({ ok: z.boolean(), maxLag: z.number().int(), stalled: z.array(z.string()).optional() }),
    }),
    /** DEMO=1 only: the county's clock and how far the demo county's load is (not ready until it is loaded). */
    demo: DemoStatusSchema.optional(),
  });

  app.get(
    '/ready',
    {
      config: { public: true },
      schema: { tags: ['ops'], summary: '就绪检查：迁移与投影 / readiness: migrations and projections', response: { 200: ReadySchema, 503: ReadySchema } },
    },
    async (_request, reply) => {
      let database: z.infer<typeof ReadySchema>['checks']['database'] = { ok: true, backend: deps.database.kind };
      let pending = -1;
      let maxLag = -1;
      let stalled: string[] = [];
      try {
        await sql`select 1`.execute(deps.database.db);
        pending = await migrationsPending(deps.database);
        maxLag = await deps.projections.maxLag();
        // A projection can lag a little and be fine; one that lags and does not move is not.
        stalled = await deps.projections.stalled();
      } catch (error) {
        database = { ok: false, backend: deps.database.kind, error: 'database unreachable' };
        deps.logger.warn({ err: error }, 'readiness check failed');
      }
      const checks = {
        database,
        migrations: { ok: pending === 0, pending },
        projections: { ok: maxLag >= 0 && maxLag <= MAX_READY_LAG && stalled.length === 0, maxLag, ...(stalled.length > 0 ? { stalled } : {}) },
      };
      const demo = deps.demo?.status();
      const ok = checks.database.ok && checks.migrations.ok && checks.projections.ok && (!demo || demo.load.state === 'loaded');
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks, ...(demo ? { demo } : {}) });
    },
  );
};
