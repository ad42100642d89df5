import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { CoverageService } from '../../../application/coverage/coverage.service';
import { problemResponses } from '../../problem';

export const coverageRoutes: FastifyPluginAsyncZod<{ coverage: CoverageService; clock: Clock }> = async (app, { coverage, clock }) => {
  app.get(
    '/api/v1/coverage',
    {
      schema: {
        tags: ['coverage'],
        summary: 'Coverage at a glance: stations, responsible and linked workers per town/village/group, the gaps, and totals',
        querystring: z.object({
          town: z.string().uuid().optional(),
          village: z.string().uuid().optional(),
          date: z.iso.date().optional(),
          /** Internal: `query` computes coverage at query time (the read model's oracle; slow). */
          source: z
            .enum(['read-model', 'query'])
            .default('read-model')
            .describe('内部：query 为查询时计算（校验用，慢）/ internal: query computes at query time (the oracle; slow)'),
        }),
        response: {
          200: z.object({ asOf: z.string(), towns: z.array(z.any()), gaps: z.record(z.string(), z.any()), totals: z.record(z.string(), z.any()) }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { town, village, date, source } = request.query;
      return coverage.report(
        { actor: request.actor, now: clock.now() },
        { ...(town ? { townId: town } : {}), ...(village ? { villageId: village } : {}), ...(date ? { date } : {}), source },
      );
    },
  );
};
