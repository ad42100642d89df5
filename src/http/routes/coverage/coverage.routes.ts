import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { countyDate, type Clock } from '../../../application/clock';
import type { CoverageService } from '../../../application/coverage/coverage.service';
import type { JsonCache } from '../../json-cache';
import { problemResponses } from '../../problem';

const CoverageSchema = z.object({
  asOf: z.string(),
  detail: z
    .enum(['summary', 'groups'])
    .describe('summary：各村只给小组计数（groupCounts），groups 为空 / summary: each village gives its groups as counts (groupCounts), groups empty'),
  towns: z.array(z.any()),
  gaps: z.record(z.string(), z.any()),
  totals: z.record(z.string(), z.any()),
});

export const coverageRoutes: FastifyPluginAsyncZod<{ coverage: CoverageService; clock: Clock; cache: JsonCache }> = async (app, { coverage, clock, cache }) => {
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
          detail: z
            .enum(['summary', 'groups'])
            .optional()
            .describe(
              '默认：指定 village 时含各小组，否则为摘要（各村的小组计数）；groups 为整棵树 / default: the groups with ?village=, else a summary (group counts per village); groups: the whole tree',
            ),
          /** Internal: `query` computes coverage at query time (the read model's oracle; slow). */
          source: z
            .enum(['read-model', 'query'])
            .default('read-model')
            .describe('内部：query 为查询时计算（校验用，慢）/ internal: query computes at query time (the oracle; slow)'),
        }),
        response: {
          200: CoverageSchema,
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { town, village, date, source, detail } = request.query;
      const now = clock.now();
      const report = () =>
        coverage.report(
          { actor: request.actor, now },
          { ...(town ? { townId: town } : {}), ...(village ? { villageId: village } : {}), ...(date ? { date } : {}), ...(detail ? { detail } : {}), source },
        );
      // The oracle is computed afresh; the read model's answer is the same for a caller until
      // an event is recorded or the county day turns.
      if (source === 'query') return report();
      return cache.send(request, reply, ['coverage', countyDate(now), town, village, date, detail], CoverageSchema, report);
    },
  );
};
