import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { countyDate } from '../../../application/clock';
import { problemResponses } from '../../problem';
import type { CommunityRoutesOptions } from './community.routes';
import { SummarySchema, Uuid } from './community.schemas';
import { readerOf } from '../../route-helpers';

/**
 * The community summary: the counts the article reports, within the reader's jurisdiction. Counts
 * only, no personal data, and its read models are inline: the same for a caller, town and county
 * day until an event is recorded, so the serialized answer is reused until then (issue 20: its
 * eleven small queries cost more to plan than to run).
 */
export const summaryRoutes: FastifyPluginAsyncZod<CommunityRoutesOptions> = async (app, { community, clock, cache }) => {
  const reader = readerOf(clock);
  app.get(
    '/api/v1/community/summary',
    {
      schema: {
        tags: ['community'],
        summary: 'Registered and mobilisable volunteers, teams (village mutual-aid), service, children served, projects, donations by donor kind and channel',
        querystring: z.object({ town: Uuid.optional() }),
        response: { 200: SummarySchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const context = reader(request);
      const town = request.query.town;
      const answer = () => community.summary.summary(context, { ...(town ? { townId: town } : {}) });
      return cache.send(request, reply, ['community-summary', countyDate(context.now), town ?? null], SummarySchema, answer);
    },
  );
};
