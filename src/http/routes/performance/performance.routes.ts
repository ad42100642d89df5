import { CsvLangSchema } from '../../csv';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { countyDate, type Clock } from '../../../application/clock';
import type { PerformanceService } from '../../../application/performance/performance.service';
import { ScoringPolicyInputSchema, ScoringPolicySchema } from '../../../domain/performance/scoring-policy';
import { commandContext } from '../../command-context';
import type { JsonCache } from '../../json-cache';
import { problemResponses } from '../../problem';
import { IdParamsSchema, PageQuerySchema } from '../../schemas';
import { AssessmentBody, EvidencePageSchema, HistorySchema, OutcomeBody, PeriodQuery, ScoresViewSchema, WorkerViewSchema } from './performance.schemas';
import { PeriodIdSchema } from '../../../domain/performance/period';
import { readerOf } from '../../route-helpers';

export interface PerformanceRoutesOptions {
  performance: PerformanceService;
  clock: Clock;
  /** The sheet's serialized answer until the log moves (the same for every evaluator). */
  cache: JsonCache;
}

const Uuid = z.string().uuid();

/**
 * The sheet as the committee reads it: ranks, ratings, the cap, each metric's value and
 * evidence count, and why a metric did not apply as a code; the explanation in words stays in
 * the one-worker view and the CSV, so a county's sheet is not mostly prose.
 */
function sheetView(view: Awaited<ReturnType<PerformanceService['scores']>>) {
  return {
    ...view,
    items: view.items.map(({ notes: _words, ...score }) => ({
      ...score,
      metrics: score.metrics.map((m) => (m.notApplicable ? { ...m, notApplicable: { code: m.notApplicable.code } } : m)),
    })),
  };
}

export const performanceRoutes: FastifyPluginAsyncZod<PerformanceRoutesOptions> = async (app, { performance, clock, cache }) => {
  const reader = readerOf(clock);

  app.get(
    '/api/v1/scoring-policies',
    {
      schema: {
        tags: ['performance'],
        summary: 'Scoring policy versions',
        response: { 200: z.object({ items: z.array(ScoringPolicySchema) }), ...problemResponses },
      },
    },
    async () => ({
      items: await performance.policies(),
    }),
  );
  app.post(
    '/api/v1/scoring-policies',
    {
      schema: {
        tags: ['performance'],
        summary: 'Add a scoring policy version with an effective date (admin)',
        body: ScoringPolicyInputSchema,
        response: { 201: ScoringPolicySchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await performance.addPolicy(commandContext(request, clock), request.body)),
  );

  app.post(
    '/api/v1/assessments',
    {
      schema: {
        tags: ['performance'],
        summary: "The committee's scores for discipline, attitude, knowledge (evaluator); again with a reason to correct",
        body: AssessmentBody,
        response: { 201: HistorySchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await performance.recordAssessment(commandContext(request, clock), request.body)),
  );
  app.get(
    '/api/v1/assessments',
    {
      schema: {
        tags: ['performance'],
        summary: 'Assessments (every revision) and outcomes of a period',
        querystring: PeriodQuery.extend({ worker: Uuid.optional() }),
        response: { 200: HistorySchema, ...problemResponses },
      },
    },
    async (request) => performance.history(reader(request), request.query.period, request.query.worker),
  );
  app.post(
    '/api/v1/assessments/outcomes',
    {
      schema: {
        tags: ['performance'],
        summary: 'Record an outcome (reward, warning, …) for a worker and period (evaluator)',
        body: OutcomeBody,
        response: { 201: HistorySchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await performance.recordOutcome(commandContext(request, clock), request.body)),
  );

  app.get(
    '/api/v1/performance',
    {
      schema: {
        tags: ['performance'],
        summary: 'Scores, ratings and ranks of a period (published if closed and published, else live)',
        description:
          'Live scores come from the per-worker metric counters of the read model (issue 20). Each metric carries `evidenceCount` instead of its evidence list; the facts are on the evidence drill-down and in the one-worker view.',
        querystring: PeriodQuery.extend({ town: Uuid.optional() }),
        response: { 200: ScoresViewSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const context = reader(request);
      const { period, town } = request.query;
      return cache.send(request, reply, ['performance', countyDate(context.now), period, town], ScoresViewSchema, async () =>
        sheetView(await performance.scores(context, period, town)),
      );
    },
  );
  app.get(
    '/api/v1/performance.csv',
    {
      schema: {
        tags: ['performance'],
        summary: 'Scores of a period as CSV (UTF-8 with BOM; Chinese headers, ?lang=en for English)',
        querystring: PeriodQuery.extend({ town: Uuid.optional(), lang: CsvLangSchema }),
        response: { 200: z.string().describe('text/csv; charset=utf-8'), ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="performance-${request.query.period}.csv"`)
        .send(await performance.csv(reader(request), request.query.period, request.query.town, request.query.lang)),
  );
  app.get(
    '/api/v1/performance/:id',
    {
      schema: {
        tags: ['performance'],
        summary: "One worker's score with the explanation, assessments and outcomes",
        params: IdParamsSchema,
        querystring: PeriodQuery,
        response: { 200: WorkerViewSchema, ...problemResponses },
      },
    },
    async (request) => performance.workerScore(reader(request), request.params.id, request.query.period),
  );
  app.get(
    '/api/v1/performance/:period/workers/:workerId/metrics/:metric/evidence',
    {
      schema: {
        tags: ['performance'],
        summary: "The facts behind one worker's metric in a period (the sheet's evidenceCount), paged",
        params: z.object({
          period: PeriodIdSchema.describe('考核期，如 2023-H2 / period, e.g. 2023-H2'),
          workerId: Uuid.describe('社工 ID / worker id'),
          metric: z.string().min(1).max(100).describe('指标代码（见评分表 metrics[].key）/ metric key, as in the sheet'),
        }),
        querystring: PageQuerySchema,
        response: { 200: EvidencePageSchema, ...problemResponses },
      },
    },
    async (request) => performance.evidence(reader(request), { ...request.params, limit: request.query.limit, cursor: request.query.cursor }),
  );
  app.post(
    '/api/v1/performance/publish',
    {
      schema: {
        tags: ['performance'],
        summary: 'Publish (freeze) the scores of a closed period (evaluator or admin)',
        body: PeriodQuery,
        response: { 201: ScoresViewSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await performance.publish(commandContext(request, clock), request.body.period)),
  );
};
