import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SpecialGroupSchema } from '../../../domain/households/person';
import { IdParamsSchema } from '../../schemas';
import { Day, HouseholdSchema, Uuid } from './households.schemas';
import type { Clock } from '../../../application/clock';
import type { HouseholdsService } from '../../../application/households/households.service';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { sendVersioned } from '../../route-helpers';

/** Special-group memberships of a household or one member, dated. */
export const specialGroupRoutes: FastifyPluginAsyncZod<{ households: HouseholdsService; clock: Clock }> = async (app, { households, clock }) => {
  app.post(
    '/api/v1/households/:id/special-groups',
    {
      schema: {
        tags: ['households'],
        summary: 'Record a special-group membership of the household or one member, dated',
        params: IdParamsSchema,
        body: z.object({
          group: SpecialGroupSchema,
          personId: Uuid.nullable().optional(),
          riskLevel: z.number().int().min(0).max(5).nullable().optional(),
          from: Day,
          to: Day.nullable().optional(),
        }),
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await households.joinSpecialGroup(commandContext(request, clock), request.params.id, request.body)),
  );
  app.post(
    '/api/v1/households/:id/special-groups/:membershipId/end',
    {
      schema: {
        tags: ['households'],
        summary: 'End a special-group membership',
        params: IdParamsSchema.extend({ membershipId: Uuid }),
        body: z.object({ to: Day }),
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(reply, await households.leaveSpecialGroup(commandContext(request, clock), request.params.id, request.params.membershipId, request.body.to)),
  );
};
