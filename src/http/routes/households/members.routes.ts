import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, IfMatchHeaders } from '../../schemas';
import { HouseholdSchema, MemberBody, Uuid } from './households.schemas';
import type { Clock } from '../../../application/clock';
import type { HouseholdsService } from '../../../application/households/households.service';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { sendVersioned, ifMatchOf } from '../../route-helpers';

/** A household's members: add, change, remove. */
export const memberRoutes: FastifyPluginAsyncZod<{ households: HouseholdsService; clock: Clock }> = async (app, { households, clock }) => {
  app.post(
    '/api/v1/households/:id/members',
    {
      schema: {
        tags: ['households'],
        summary: 'Add a member',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: MemberBody,
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(reply, await households.addMember(commandContext(request, clock), request.params.id, request.body, ifMatchOf(request))),
  );
  app.put(
    '/api/v1/households/:id/members/:personId',
    {
      schema: {
        tags: ['households'],
        summary: 'Change a member',
        params: IdParamsSchema.extend({ personId: Uuid }),
        headers: IfMatchHeaders,
        body: MemberBody,
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(
        reply,
        await households.updateMember(commandContext(request, clock), request.params.id, request.params.personId, request.body, ifMatchOf(request)),
      ),
  );
  app.post(
    '/api/v1/households/:id/members/:personId/remove',
    {
      schema: {
        tags: ['households'],
        summary: 'Remove a member, with the reason',
        params: IdParamsSchema.extend({ personId: Uuid }),
        headers: IfMatchHeaders,
        body: z.object({ reason: z.string().trim().min(1).max(500) }),
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(
        reply,
        await households.removeMember(commandContext(request, clock), request.params.id, request.params.personId, request.body.reason, ifMatchOf(request)),
      ),
  );
};
