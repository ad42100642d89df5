import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { GeographyService } from '../../../application/geography/geography.service';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { etag, IdParamsSchema, IfMatchHeaders, PageQuerySchema, pageOf, parseIfMatch } from '../../schemas';
import { CodeSchema, GroupSchema, NameSchema, RenameBody, StatusFilter } from './geography.schemas';
import { readerOf } from '../../route-helpers';

/** Villager groups (村民小组): register, list, read, change, retire. */
export const groupRoutes: FastifyPluginAsyncZod<{ geography: GeographyService; clock: Clock }> = async (app, { geography, clock }) => {
  const reader = readerOf(clock);

  app.post(
    '/api/v1/groups',
    {
      schema: {
        tags: ['geography'],
        summary: 'Register a villager group, one grid cell (admin)',
        body: z.object({ villageId: z.string().uuid(), code: CodeSchema, name: NameSchema }),
        response: { 201: GroupSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const group = await geography.registerGroup(commandContext(request, clock), request.body);
      return reply.status(201).header('location', `/api/v1/groups/${group.id}`).header('etag', etag(group.version)).send(group);
    },
  );
  app.get(
    '/api/v1/groups',
    {
      schema: {
        tags: ['geography'],
        summary: 'List villager groups by code, optionally of one village or town',
        querystring: PageQuerySchema.extend({ village: z.string().uuid().optional(), town: z.string().uuid().optional(), status: StatusFilter }),
        response: { 200: pageOf(GroupSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, status, village, town } = request.query;
      return geography.listGroups(
        reader(request),
        { ...(status ? { status } : {}), ...(village ? { villageId: village } : {}), ...(town ? { townId: town } : {}) },
        { limit, cursor },
      );
    },
  );
  app.get(
    '/api/v1/groups/:id',
    {
      schema: {
        tags: ['geography'],
        summary: 'One villager group, with its responsible worker today',
        params: IdParamsSchema,
        response: { 200: GroupSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const group = await geography.getGroup(reader(request), request.params.id);
      return reply.header('etag', etag(group.version)).send(group);
    },
  );
  app.patch(
    '/api/v1/groups/:id',
    {
      schema: {
        tags: ['geography'],
        summary: 'Rename a villager group (admin; If-Match)',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: RenameBody,
        response: { 200: GroupSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const group = await geography.renameGroup(
        commandContext(request, clock),
        request.params.id,
        request.body.name,
        parseIfMatch(request.headers['if-match']),
      );
      return reply.header('etag', etag(group.version)).send(group);
    },
  );
  app.post(
    '/api/v1/groups/:id/retire',
    {
      schema: {
        tags: ['geography'],
        summary: 'Retire a villager group (admin); refused while it has a responsible worker',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        response: { 200: GroupSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const group = await geography.retireGroup(commandContext(request, clock), request.params.id, parseIfMatch(request.headers['if-match']));
      return reply.header('etag', etag(group.version)).send(group);
    },
  );
};
