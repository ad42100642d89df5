import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VisitKindSchema } from '../../../domain/visits/visit';
import { PageQuerySchema, pageOf } from '../../schemas';
import { Day, RecordedVisitSchema, RecordVisitBody, Uuid, VisitSchema } from './visits.schemas';
import type { Clock } from '../../../application/clock';
import type { VisitsService } from '../../../application/visits/visits.service';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { readerOf } from '../../route-helpers';

/** Visits (走访): record one, list them, monthly counts. */
export const visitRoutes: FastifyPluginAsyncZod<{ visits: VisitsService; clock: Clock }> = async (app, { visits, clock }) => {
  const reader = readerOf(clock);

  app.post(
    '/api/v1/visits',
    {
      schema: {
        tags: ['visits'],
        summary: 'Record a visit (走访) to a household or a whole villager group',
        body: RecordVisitBody,
        response: { 201: RecordedVisitSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await visits.recordVisit(commandContext(request, clock), request.body)),
  );
  app.get(
    '/api/v1/visits',
    {
      schema: {
        tags: ['visits'],
        summary: 'Visits, newest first',
        querystring: PageQuerySchema.extend({
          worker: Uuid.optional(),
          household: Uuid.optional(),
          group: Uuid.optional(),
          from: Day.optional(),
          to: Day.optional(),
          kind: VisitKindSchema.optional(),
        }),
        response: { 200: pageOf(VisitSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, worker, household, group, from, to, kind } = request.query;
      const filter = {
        ...(worker ? { workerId: worker } : {}),
        ...(household ? { householdId: household } : {}),
        ...(group ? { groupId: group } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(kind ? { kind } : {}),
      };
      return visits.listVisits(reader(request), filter, { limit, cursor });
    },
  );
  app.get(
    '/api/v1/visits/monthly',
    {
      schema: {
        tags: ['visits'],
        summary: 'Visits and person-times (人次) per month and town',
        querystring: z.object({ from: z.string().regex(/^\d{4}-\d{2}$/), to: z.string().regex(/^\d{4}-\d{2}$/) }),
        response: {
          200: z.object({ items: z.array(z.object({ month: z.string(), townId: Uuid, visits: z.number(), personTimes: z.number(), households: z.number() })) }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const last = new Date(Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5, 7)), 0)).toISOString().slice(0, 10);
      return { items: await visits.visitStats(reader(request), `${from}-01`, last) };
    },
  );
};
