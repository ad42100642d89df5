import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { GeographyService } from '../../../application/geography/geography.service';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { etag, IdParamsSchema, IfMatchHeaders, PageQuerySchema, pageOf, parseIfMatch } from '../../schemas';
import { CodeSchema, NameSchema, RenameBody, StatusFilter, TownSchema } from './geography.schemas';
import { readerOf } from '../../route-helpers';

/** Towns (乡镇): register, list, read, rename, retire. */
export const townRoutes: FastifyPluginAsyncZod<{ geography: GeographyService; clock: Clock }> = async (app, { geography, clock }) => {
  const reader = readerOf(clock);

  app.post(
    '/api/v1/towns',
    {
      schema: {
        tags: ['geography'],
        summary: 'Register a town (admin)',
        body: z.object({ code: CodeSchema, name: NameSchema }),
        response: { 201: TownSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const town = await geography.registerTown(commandContext(request, clock), request.body);
      return reply.status(201).header('location', `/api/v1/towns/${town.id}`).header('etag', etag(town.version)).send(town);
    },
  );
  app.get(
    '/api/v1/towns',
    {
      schema: {
        tags: ['geography'],
        summary: 'List towns by code',
        querystring: PageQuerySchema.extend({ status: StatusFilter }),
        response: { 200: pageOf(TownSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      return geography.listTowns(reader(request), { ...(status ? { status } : {}) }, { limit, cursor });
    },
  );
  app.get(
    '/api/v1/towns/:id',
    { schema: { tags: ['geography'], summary: 'One town', params: IdParamsSchema, response: { 200: TownSchema, ...problemResponses } } },
    async (request, reply) => {
      const town = await geography.getTown(reader(request), request.params.id);
      return reply.header('etag', etag(town.version)).send(town);
    },
  );
  app.patch(
    '/api/v1/towns/:id',
    {
      schema: {
        tags: ['geography'],
        summary: 'Rename a town (admin; If-Match)',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: RenameBody,
        response: { 200: TownSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const town = await geography.renameTown(commandContext(request, clock), request.params.id, request.body.name, parseIfMatch(request.headers['if-match']));
      return reply.header('etag', etag(town.version)).send(town);
    },
  );
  app.post(
    '/api/v1/towns/:id/retire',
    {
      schema: {
        tags: ['geography'],
        summary: 'Retire a town (admin); refused while anything depends on it',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        response: { 200: TownSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const town = await geography.retireTown(commandContext(request, clock), request.params.id, parseIfMatch(request.headers['if-match']));
      return reply.header('etag', etag(town.version)).send(town);
    },
  );
};
