import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SchedulePolicySchema } from '../../../domain/visits/schedule-policy';
import type { Clock } from '../../../application/clock';
import type { VisitsService } from '../../../application/visits/visits.service';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';

/** Schedule policy versions: list, add (admin). */
export const schedulePolicyRoutes: FastifyPluginAsyncZod<{ visits: VisitsService; clock: Clock }> = async (app, { visits, clock }) => {
  app.get(
    '/api/v1/schedule-policies',
    {
      schema: {
        tags: ['visits'],
        summary: 'Schedule policy versions',
        response: { 200: z.object({ items: z.array(SchedulePolicySchema) }), ...problemResponses },
      },
    },
    async () => ({
      items: await visits.policies(),
    }),
  );
  app.post(
    '/api/v1/schedule-policies',
    {
      schema: {
        tags: ['visits'],
        summary: 'Add a schedule policy version with an effective date (admin)',
        body: SchedulePolicySchema.omit({ version: true }),
        response: { 201: SchedulePolicySchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await visits.addSchedulePolicy(commandContext(request, clock), request.body)),
  );
};
