import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { IdParamsSchema, PageQuerySchema, pageOf } from '../../schemas';
import type { CommunityRoutesOptions } from './community.routes';
import { Day, Fen, IfMatchHeaders, ProjectKindSchema, ProjectSchema, Text, Uuid } from './community.schemas';
import { ifMatchOf, readerOf, sendVersioned } from '../../route-helpers';

const tags = ['community: projects'];

/** Community projects: government-purchased services, brand projects, station projects. */
export const projectRoutes: FastifyPluginAsyncZod<CommunityRoutesOptions> = async (app, { community, clock }) => {
  const reader = readerOf(clock);
  const { projects } = community;

  app.post(
    '/api/v1/projects',
    {
      schema: {
        tags,
        summary: 'Register a project (purchased: provider, contract amount in fen, period; brand: partner; station: station)',
        body: z.object({
          kind: ProjectKindSchema,
          name: Text(200),
          description: z.string().trim().max(5000).optional(),
          townId: Uuid.nullable()
            .optional()
            .describe('乡镇 ID；不填（且无村、站）为全县项目，仅管理员 / absent (and no village or station): county-wide, admin only'),
          villageId: Uuid.nullable().optional(),
          stationId: Uuid.nullable().optional(),
          provider: Text(200).nullable().optional(),
          partner: Text(200).nullable().optional(),
          contractAmountFen: Fen.nullable().optional(),
          from: Day,
          to: Day.nullable().optional(),
          deliverables: z
            .array(
              z.object({
                description: Text(500),
                target: z.number().int().positive().max(10_000_000).nullable().optional(),
                unit: Text(20).nullable().optional(),
              }),
            )
            .max(100)
            .optional(),
        }),
        response: { 201: ProjectSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const project = await projects.register(commandContext(request, clock), request.body);
      reply.header('location', `/api/v1/projects/${project.id}`);
      return sendVersioned(reply, project, 201);
    },
  );
  app.get(
    '/api/v1/projects',
    {
      schema: {
        tags,
        summary: 'Projects with funds and people, households and children served: by kind, town, status, name',
        querystring: PageQuerySchema.extend({
          kind: ProjectKindSchema.optional(),
          town: Uuid.optional(),
          status: z.enum(['active', 'closed']).optional(),
          name: Text(100).optional(),
        }),
        response: { 200: pageOf(ProjectSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, kind, town, status, name } = request.query;
      return projects.list(reader(request), { kind, townId: town, status, name }, { limit, cursor });
    },
  );
  app.get(
    '/api/v1/projects/:id',
    { schema: { tags, summary: 'One project', params: IdParamsSchema, response: { 200: ProjectSchema, ...problemResponses } } },
    async (request, reply) => sendVersioned(reply, await projects.get(reader(request), request.params.id)),
  );
  app.post(
    '/api/v1/projects/:id/deliverables/:deliverableId/complete',
    {
      schema: {
        tags,
        summary: 'Record a deliverable as completed',
        params: IdParamsSchema.extend({ deliverableId: Uuid }),
        headers: IfMatchHeaders,
        body: z.object({ on: Day.optional(), note: z.string().trim().max(2000).optional() }),
        response: { 200: ProjectSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(
        reply,
        await projects.completeDeliverable(commandContext(request, clock), request.params.id, request.params.deliverableId, request.body, ifMatchOf(request)),
      ),
  );
  app.post(
    '/api/v1/projects/:id/spendings',
    {
      schema: {
        tags,
        summary: 'Spend donated funds the project holds (never more than its balance: 422 project.spending_over_balance)',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ amountFen: Fen, on: Day.optional(), purpose: Text(500) }),
        response: { 200: ProjectSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await projects.spend(commandContext(request, clock), request.params.id, request.body, ifMatchOf(request))),
  );
  app.post(
    '/api/v1/projects/:id/close',
    {
      schema: {
        tags,
        summary: 'Close a project',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ on: Day.optional() }),
        response: { 200: ProjectSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await projects.close(commandContext(request, clock), request.params.id, request.body, ifMatchOf(request))),
  );
};
