import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SpecialGroupSchema } from '../../../domain/households/person';
import { IdParamsSchema, IfMatchHeaders, PageQuerySchema, pageOf } from '../../schemas';
import { Day, HouseholdSchema, RegisterHouseholdBody, Uuid } from './households.schemas';
import { countyDate, type Clock } from '../../../application/clock';
import type { AccessEntry } from '../../../application/privacy/access-log';
import type { HouseholdsService } from '../../../application/households/households.service';
import { commandContext } from '../../command-context';
import { compiledSerializer, compiledSerializerCompiler } from '../../compiled-serializer';
import type { JsonCache } from '../../json-cache';
import { problemResponses } from '../../problem';
import { readerOf, sendVersioned, ifMatchOf } from '../../route-helpers';

/** Households: register, search, read, record circumstances, move. */
export const householdRoutes: FastifyPluginAsyncZod<{ households: HouseholdsService; clock: Clock; cache: JsonCache<AccessEntry[]> }> = async (
  app,
  { households, clock, cache },
) => {
  const reader = readerOf(clock);
  const HouseholdPage = pageOf(HouseholdSchema);
  const writePage = compiledSerializer(HouseholdPage);

  app.post(
    '/api/v1/households',
    {
      schema: {
        tags: ['households'],
        summary: 'Register a household in a villager group, with its members',
        body: RegisterHouseholdBody,
        response: { 201: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const household = await households.register(commandContext(request, clock), request.body);
      reply.header('location', `/api/v1/households/${household.id}`);
      return sendVersioned(reply, household, 201);
    },
  );
  app.get(
    '/api/v1/households',
    {
      schema: {
        tags: ['households'],
        summary: 'Search households: member name, ID number (exact), group, village, town, special group',
        querystring: PageQuerySchema.extend({
          name: z.string().trim().min(1).max(50).optional(),
          idNumber: z.string().trim().length(18).optional(),
          group: Uuid.optional(),
          village: Uuid.optional(),
          town: Uuid.optional(),
          specialGroup: SpecialGroupSchema.optional(),
        }),
        response: { 200: HouseholdPage, ...problemResponses },
      },
      // 50 households with their members: the zod parse of the answer was a tenth of the read's CPU.
      serializerCompiler: compiledSerializerCompiler,
    },
    async (request, reply) => {
      const { limit, cursor, name, idNumber, group, village, town, specialGroup } = request.query;
      const filter = {
        ...(name ? { name } : {}),
        ...(idNumber ? { idNumber } : {}),
        ...(group ? { groupId: group } : {}),
        ...(village ? { villageId: village } : {}),
        ...(town ? { townId: town } : {}),
        ...(specialGroup ? { specialGroup } : {}),
      };
      const context = reader(request);
      // Not kept: an ID number (no ID numbers held as keys), a special group (memberships end by
      // the database's date, which turns without the log moving).
      if (idNumber || specialGroup) return households.search(context, filter, { limit, cursor });
      // Issue 20: a page is the same for a caller until the log moves or the county day turns
      // (jurisdictions come from the log too); its sensitive reads are logged on every showing.
      return cache.sendRecorded(
        request,
        reply,
        ['households', countyDate(context.now), limit, cursor ?? null, name ?? null, group ?? null, village ?? null, town ?? null],
        HouseholdPage,
        () => households.searchUnlogged(context, filter, { limit, cursor }),
        (reads) => households.logSearchReads(context, reads),
        writePage,
      );
    },
  );
  app.get(
    '/api/v1/households/:id',
    {
      schema: { tags: ['households'], summary: 'One household', params: IdParamsSchema, response: { 200: HouseholdSchema, ...problemResponses } },
      serializerCompiler: compiledSerializerCompiler,
    },
    async (request, reply) => sendVersioned(reply, await households.get(reader(request), request.params.id)),
  );
  app.post(
    '/api/v1/households/:id/circumstances',
    {
      schema: {
        tags: ['households'],
        summary: 'Record a change in circumstances',
        params: IdParamsSchema,
        body: z.object({
          on: Day,
          category: z.enum(['income', 'health', 'housing', 'family', 'education', 'disaster', 'other']),
          description: z.string().trim().min(1).max(2000),
          incomeStability: z.enum(['stable', 'unstable']).nullable().optional(),
        }),
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await households.recordCircumstances(commandContext(request, clock), request.params.id, request.body)),
  );
  app.post(
    '/api/v1/households/:id/move',
    {
      schema: {
        tags: ['households'],
        summary: 'Move a household to another villager group (its responsible worker changes with it)',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ toGroupId: Uuid, on: Day }),
        response: { 200: HouseholdSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await households.move(commandContext(request, clock), request.params.id, request.body, ifMatchOf(request))),
  );
};
