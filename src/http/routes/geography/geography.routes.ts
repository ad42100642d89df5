import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { GeographyService } from '../../../application/geography/geography.service';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { etag, IdParamsSchema, IfMatchHeaders, PageQuerySchema, pageOf, parseIfMatch } from '../../schemas';
import { CodeSchema, GroupSchema, NameSchema, RenameBody, StatusFilter, TownSchema, VillageSchema } from './geography.schemas';
import { readerOf } from '../../route-helpers';

export const geographyRoutes: FastifyPluginAsyncZod<{ geography: GeographyService; clock: Clock }> = async (app, { geography, clock }) => {
  const reader = readerOf(clock);

  // ── Bulk import ────────────────────────────────────────────────────────────
  const ImportReportSchema = z
    .object({
      applied: z.number().int(),
      unchanged: z.number().int(),
      rejected: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.string() })),
      results: z.array(
        z.object({ row: z.number().int(), kind: z.string(), code: z.string(), id: z.string(), outcome: z.enum(['created', 'renamed', 'unchanged']) }),
      ),
    })
    .meta({ id: 'GeographyImportReport' });
  app.post(
    '/api/v1/geography/import',
    {
      schema: {
        tags: ['geography'],
        summary: 'Import towns, villages and groups from a JSON array, CSV or xlsx (kind,code,name,parent_code,village_kind); re-importing changes nothing',
        description:
          'CSV in UTF-8 (with or without BOM), UTF-16 (with BOM) or GB18030/GBK, as Excel and WPS save it; or an xlsx workbook (first sheet). A file in no such encoding is refused (400 unreadable-file).',
        body: z.array(z.record(z.string(), z.unknown())).max(20_000),
        response: { 200: ImportReportSchema, ...problemResponses },
      },
    },
    async (request) => {
      return geography.import(commandContext(request, clock), request.body);
    },
  );

  // ── Towns ──────────────────────────────────────────────────────────────────
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

  // ── Villages ───────────────────────────────────────────────────────────────
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

  // ── Villager groups ────────────────────────────────────────────────────────
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
