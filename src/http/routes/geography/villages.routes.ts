import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { GeographyService } from '../../../application/geography/geography.service';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { etag, IdParamsSchema, IfMatchHeaders, PageQuerySchema, pageOf, parseIfMatch } from '../../schemas';
import { CodeSchema, NameSchema, RenameBody, StatusFilter, VillageSchema } from './geography.schemas';
import { readerOf } from '../../route-helpers';

/** Villages and communities: register, list, read, change, retire. */
export const villageRoutes: FastifyPluginAsyncZod<{ geography: GeographyService; clock: Clock }> = async (app, { geography, clock }) => {
  const reader = readerOf(clock);

  app.post(
    '/api/v1/villages',
    {
      schema: {
        tags: ['geography'],
        summary: 'Register a village or community (admin)',
        body: z.object({ townId: z.string().uuid(), kind: z.enum(['village', 'community']).default('village'), code: CodeSchema, name: NameSchema }),
        response: { 201: VillageSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const village = await geography.registerVillage(commandContext(request, clock), request.body);
      return reply.status(201).header('location', `/api/v1/villages/${village.id}`).header('etag', etag(village.version)).send(village);
    },
  );
  app.get(
    '/api/v1/villages',
    {
      schema: {
        tags: ['geography'],
        summary: 'List villages by code, optionally of one town',
        querystring: PageQuerySchema.extend({ town: z.string().uuid().optional(), status: StatusFilter }),
        response: { 200: pageOf(VillageSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, status, town } = request.query;
      return geography.listVillages(reader(request), { ...(status ? { status } : {}), ...(town ? { townId: town } : {}) }, { limit, cursor });
    },
  );
  app.get(
    '/api/v1/villages/:id',
    { schema: { tags: ['geography'], summary: 'One village', params: IdParamsSchema, response: { 200: VillageSchema, ...problemResponses } } },
    async (request, reply) => {
      const village = await geography.getVillage(reader(request), request.params.id);
      return reply.header('etag', etag(village.version)).send(village);
    },
  );
  app.patch(
    '/api/v1/villages/:id',
    {
      schema: {
        tags: ['geography'],
        summary: 'Rename a village (admin; If-Match)',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: RenameBody,
        response: { 200: VillageSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const village = await geography.renameVillage(
        commandContext(request, clock),
        request.params.id,
        request.body.name,
        parseIfMatch(request.headers['if-match']),
      );
      return reply.header('etag', etag(village.version)).send(village);
    },
  );
  app.post(
    '/api/v1/villages/:id/retire',
    {
      schema: {
        tags: ['geography'],
        summary: 'Retire a village (admin); refused while groups are active',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        response: { 200: VillageSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const village = await geography.retireVillage(commandContext(request, clock), request.params.id, parseIfMatch(request.headers['if-match']));
      return reply.header('etag', etag(village.version)).send(village);
    },
  );
};
