import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../problem';
import type { CommunityRoutesOptions } from './community.routes';
import { SummarySchema, Uuid } from './community.schemas';
import { readerOf } from '../../route-helpers';

/** The community summary: the counts the article reports, within the reader's jurisdiction. */
export const summaryRoutes: FastifyPluginAsyncZod<CommunityRoutesOptions> = async (app, { community, clock }) => {
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
    async (request) => community.summary.summary(reader(request), { ...(request.query.town ? { townId: request.query.town } : {}) }),
  );
};
