import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditService } from '../../../application/assistance/audit.service';
import type { Clock } from '../../../application/clock';
import { problemResponses } from '../../problem';
import { readerOf } from '../../route-helpers';
import { OpenObject } from './assistance.schemas';
import { MonthRangeQuery, ReplayBody } from './audit.schemas';

/** The audit over decisions: replay them against their facts and policy, and count actions per month. */
export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService; clock: Clock }> = async (app, { audit, clock }) => {
  const reader = readerOf(clock);

  app.post(
    '/api/v1/audit/replay',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Re-run every decision (or those in a range) against its recorded facts and policy version, count decisions from the case streams, and verify the hash chains and MACs (auditor)',
        body: ReplayBody,
        response: { 200: OpenObject, ...problemResponses },
      },
    },
    async (request) => audit.replay(reader(request), request.body ?? {}),
  );
  app.get(
    '/api/v1/assistance/monthly',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Assistance actions per month, program and town',
        querystring: MonthRangeQuery,
        response: { 200: z.object({ items: z.array(OpenObject) }), ...problemResponses },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const last = new Date(Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5, 7)), 0)).toISOString().slice(0, 10);
      return { items: await audit.counts(reader(request), `${from}-01`, last) };
    },
  );
};
