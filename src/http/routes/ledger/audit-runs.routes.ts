import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditRun, AuditRuns } from '../../../application/ledger/audit-runs';
import { TooManyRequestsError } from '../../edge-errors';
import { problemResponses } from '../../problem';

const Day = z.iso.date();

const StartSchema = z
  .object({
    kind: z.enum(['ledger', 'chains', 'replay']).describe('ledger: the log against its signed heads; chains: every hash chain and MAC; replay: every decision'),
    mode: z
      .enum(['incremental', 'full'])
      .default('incremental')
      .describe('ledger only: incremental continues from the last head a run verified (reads only the new events); full starts at leaf 0'),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(50_000)
      .optional()
      .describe('每批读取的事件数（默认 AUDIT_RUN_BATCH_SIZE） / events per keyset page over the log (default AUDIT_RUN_BATCH_SIZE)'),
    range: z
      .object({ from: Day.optional(), to: Day.optional() })
      .refine((r) => !r.from || !r.to || r.from <= r.to, { message: 'from 不能晚于 to', path: ['to'] })
      .optional()
      .describe('仅重放审计：重放 [from, to] 之间作出的决定 / replay only: decisions taken in [from, to]'),
  })
  .meta({ id: 'AuditRunRequest' });

const RunSchema = z
  .object({
    id: z.string().uuid(),
    kind: z.enum(['ledger', 'chains', 'replay']),
    mode: z.enum(['incremental', 'full']),
    state: z.enum(['running', 'succeeded', 'failed']),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    progress: z.object({ done: z.number().int(), total: z.number().int().nullable(), batches: z.number().int() }),
    result: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe(
        '完成后的报告：与对应同步接口的答复相同（账本审计为 LedgerRunReport） / the report once finished: the body of the matching synchronous endpoint (ledger: LedgerRunReport)',
      ),
    error: z.string().nullable(),
  })
  .meta({ id: 'AuditRun' });

const view = (run: AuditRun) => ({ ...run, result: (run.result as Record<string, unknown> | null) ?? null });

/**
 * Audit runs as resources (issue 20, docs/AUDIT.md): POST starts one and answers 202 with its
 * Location; GET shows progress and, once finished, the report. At most AUDIT_RUNS_MAX run at once
 * per process: the next POST is answered 429 (problem type `busy`) with Retry-After.
 */
export const auditRunsRoutes: FastifyPluginAsyncZod<{ runs: AuditRuns }> = async (app, { runs }) => {
  const tags = ['audit'];

  app.post(
    '/api/v1/audit/runs',
    {
      schema: {
        tags,
        summary: 'Start an audit run (ledger verify, chain verify or decision replay) in the background; 429 with Retry-After while AUDIT_RUNS_MAX run',
        body: StartSchema,
        response: { 202: RunSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { kind, mode, batchSize, range } = request.body;
      const started = await runs.start(request.actor, {
        kind,
        mode,
        ...(batchSize ? { batchSize } : {}),
        ...(range ? { range: { ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}) } } : {}),
      });
      if ('busy' in started) {
        throw new TooManyRequestsError(`已有 ${started.running} 个审计运行在进行（最多 ${runs.limit} 个），请稍后再试`, started.retryAfterSeconds, 'busy');
      }
      request.log.info({ runId: started.run.id, kind, mode, actor: request.actor.id }, 'audit run started');
      return reply.status(202).header('location', `/api/v1/audit/runs/${started.run.id}`).send(view(started.run));
    },
  );

  app.get(
    '/api/v1/audit/runs/:id',
    {
      schema: {
        tags,
        summary: 'An audit run: progress while it runs, the report once it has finished',
        params: z.object({ id: z.string().uuid().describe('审计运行 ID（POST 响应的 Location）/ audit run id (from the POST’s Location)') }),
        response: { 200: RunSchema, ...problemResponses },
      },
    },
    async (request) => view(await runs.get(request.actor, request.params.id)),
  );
};
