import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TownsService } from '../../../application/geography/towns.service';
import type { Clock } from '../../../application/clock';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { etag, IdParamsSchema, PageQuerySchema, pageOf } from '../../schemas';

const TownSchema = z
  .object({
    id: z.string().uuid(),
    code: z.string(),
    name: z.string(),
    status: z.string(),
    version: z.number().int(),
    registeredAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Town' });

const RegisterTownBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z_-]{1,32}$/, 'a code is 1–32 letters, digits, - or _ (e.g. the statistical code 530626100)'),
  name: z.string().trim().min(1).max(100),
});

export const townRoutes: FastifyPluginAsyncZod<{ towns: TownsService; clock: Clock }> = async (app, { towns, clock }) => {
  app.post(
    '/api/v1/towns',
    {
      schema: {
        tags: ['geography'],
        summary: 'Register a town (admin)',
        body: RegisterTownBody,
        response: { 201: TownSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const town = await towns.register(commandContext(request, clock), request.body);
      return reply.status(201).header('location', `/api/v1/towns/${town.id}`).header('etag', etag(town.version)).send(town);
    },
  );

  app.get(
    '/api/v1/towns',
    {
      schema: {
        tags: ['geography'],
        summary: 'List towns, ordered by code',
        querystring: PageQuerySchema.extend({ status: z.enum(['active', 'retired']).optional() }),
        response: { 200: pageOf(TownSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      return towns.list(request, { ...(status ? { status } : {}) }, { limit, cursor });
    },
  );

  app.get(
    '/api/v1/towns/:id',
    { schema: { tags: ['geography'], summary: 'One town', params: IdParamsSchema, response: { 200: TownSchema, ...problemResponses } } },
    async (request, reply) => {
      const town = await towns.get(request, request.params.id);
      return reply.header('etag', etag(town.version)).send(town);
    },
  );
};
