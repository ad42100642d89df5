import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { IdParamsSchema, PageQuerySchema, pageOf } from '../../schemas';
import type { CommunityRoutesOptions } from './community.routes';
import { Day, IfMatchHeaders, TeamKindSchema, TeamSchema, Text, Uuid } from './community.schemas';
import { ifMatchOf, readerOf, sendVersioned } from '../../route-helpers';

const tags = ['community: teams'];

/** Volunteer teams (银发先锋, 巾帼, 爱心爸妈, youth, village mutual-aid elder care) and dated memberships. */
export const teamRoutes: FastifyPluginAsyncZod<CommunityRoutesOptions> = async (app, { community, clock }) => {
  const reader = readerOf(clock);
  const { teams } = community;

  app.post(
    '/api/v1/volunteer-teams',
    {
      schema: {
        tags,
        summary: 'Form a team (a village mutual-aid elder-care team needs its village)',
        body: z
          .object({ name: Text(100), kind: TeamKindSchema, townId: Uuid.optional(), villageId: Uuid.nullable().optional(), formedOn: Day.optional() })
          .refine((b) => !!b.townId || !!b.villageId, { message: 'give townId or villageId', path: ['townId'] }),
        response: { 201: TeamSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const team = await teams.form(commandContext(request, clock), request.body);
      reply.header('location', `/api/v1/volunteer-teams/${team.id}`);
      return sendVersioned(reply, team, 201);
    },
  );
  app.get(
    '/api/v1/volunteer-teams',
    {
      schema: {
        tags,
        summary: 'Teams: by town, village, kind, status',
        querystring: PageQuerySchema.extend({
          town: Uuid.optional(),
          village: Uuid.optional(),
          kind: TeamKindSchema.optional(),
          status: z.enum(['active', 'disbanded']).optional(),
        }),
        response: { 200: pageOf(TeamSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, town, village, kind, status } = request.query;
      return teams.list(reader(request), { townId: town, villageId: village, kind, status }, { limit, cursor });
    },
  );
  app.get(
    '/api/v1/volunteer-teams/:id',
    { schema: { tags, summary: 'One team, with its members past and present', params: IdParamsSchema, response: { 200: TeamSchema, ...problemResponses } } },
    async (request, reply) => sendVersioned(reply, await teams.get(reader(request), request.params.id)),
  );
  app.post(
    '/api/v1/volunteer-teams/:id/members',
    {
      schema: {
        tags,
        summary: 'A registered volunteer joins from a date (optionally as leader)',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ volunteerId: Uuid, from: Day.optional(), leader: z.boolean().optional() }),
        response: { 200: TeamSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await teams.join(commandContext(request, clock), request.params.id, request.body, ifMatchOf(request))),
  );
  app.post(
    '/api/v1/volunteer-teams/:id/members/:volunteerId/leave',
    {
      schema: {
        tags,
        summary: 'A member leaves on a date (no longer a member from that day)',
        params: IdParamsSchema.extend({ volunteerId: Uuid }),
        headers: IfMatchHeaders,
        body: z.object({ to: Day.optional() }),
        response: { 200: TeamSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(reply, await teams.leave(commandContext(request, clock), request.params.id, request.params.volunteerId, request.body, ifMatchOf(request))),
  );
  app.put(
    '/api/v1/volunteer-teams/:id/leader',
    {
      schema: {
        tags,
        summary: 'Appoint a current member as leader from a date',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ volunteerId: Uuid, from: Day.optional() }),
        response: { 200: TeamSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(reply, await teams.appointLeader(commandContext(request, clock), request.params.id, request.body, ifMatchOf(request))),
  );
  app.post(
    '/api/v1/volunteer-teams/:id/disband',
    {
      schema: {
        tags,
        summary: 'Disband a team (ends every membership that day)',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ on: Day.optional(), reason: Text(500) }),
        response: { 200: TeamSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await teams.disband(commandContext(request, clock), request.params.id, request.body, ifMatchOf(request))),
  );
};
