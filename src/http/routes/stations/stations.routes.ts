import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { StationsService } from '../../../application/stations/stations.service';
import { StandardItemSchema } from '../../../domain/stations/standard';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { IdParamsSchema, IfMatchHeaders, PageQuerySchema, pageOf, parseIfMatch } from '../../schemas';
import { sendVersioned } from '../../route-helpers';

const StationSchema = z
  .object({
    id: z.string().uuid(),
    kind: z.enum(['town_station', 'service_point']),
    townId: z.string().uuid(),
    villageId: z.string().uuid().nullable(),
    name: z.string(),
    status: z.enum(['planned', 'operating']),
    quality: z.boolean(),
    checklist: z.record(z.string(), z.object({ met: z.boolean(), note: z.string().optional(), on: z.string().optional() })),
    openedOn: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Station' });

export const stationRoutes: FastifyPluginAsyncZod<{ stations: StationsService; clock: Clock }> = async (app, { stations, clock }) => {
  app.post(
    '/api/v1/stations',
    {
      schema: {
        tags: ['stations'],
        summary: 'Plan a town station (townId) or a village service point (villageId) (admin)',
        body: z
          .object({ townId: z.string().uuid().optional(), villageId: z.string().uuid().optional(), name: z.string().trim().min(1).max(100) })
          .refine((b) => !!b.townId !== !!b.villageId, {
            message: 'give exactly one of townId (town station) or villageId (service point)',
            path: ['townId'],
          }),
        response: { 201: StationSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const station = await stations.plan(commandContext(request, clock), request.body);
      reply.header('location', `/api/v1/stations/${station.id}`);
      return sendVersioned(reply, station, 201);
    },
  );
  app.get(
    '/api/v1/stations',
    {
      schema: {
        tags: ['stations'],
        summary: 'List stations and service points',
        querystring: PageQuerySchema.extend({
          town: z.string().uuid().optional(),
          village: z.string().uuid().optional(),
          kind: z.enum(['town_station', 'service_point']).optional(),
          status: z.enum(['planned', 'operating']).optional(),
        }),
        response: { 200: pageOf(StationSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, town, village, kind, status } = request.query;
      return stations.list(
        { actor: request.actor, now: clock.now() },
        { ...(town ? { townId: town } : {}), ...(village ? { villageId: village } : {}), ...(kind ? { kind } : {}), ...(status ? { status } : {}) },
        { limit, cursor },
      );
    },
  );
  app.get(
    '/api/v1/stations/:id',
    {
      schema: {
        tags: ['stations'],
        summary: 'One station with its 六有 checklist',
        params: IdParamsSchema,
        response: { 200: StationSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await stations.get({ actor: request.actor, now: clock.now() }, request.params.id)),
  );
  app.put(
    '/api/v1/stations/:id/standard/:item',
    {
      schema: {
        tags: ['stations'],
        summary: 'Record one 六有 item as met (with note and date) or unmet again (admin)',
        params: IdParamsSchema.extend({ item: StandardItemSchema }),
        headers: IfMatchHeaders,
        body: z.object({ met: z.boolean(), note: z.string().max(2000).default(''), on: z.iso.date().optional() }),
        response: { 200: StationSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { met, note, on } = request.body;
      const station = await stations.recordItem(
        commandContext(request, clock),
        request.params.id,
        { item: request.params.item, met, note, on: on ?? clock.now().toISOString().slice(0, 10) },
        parseIfMatch(request.headers['if-match']),
      );
      return sendVersioned(reply, station);
    },
  );
  app.post(
    '/api/v1/stations/:id/open',
    {
      schema: {
        tags: ['stations'],
        summary: 'Open a station; 422 listing the unmet 六有 items until all six are met (admin)',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ openedOn: z.iso.date() }),
        response: { 200: StationSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(
        reply,
        await stations.open(commandContext(request, clock), request.params.id, request.body.openedOn, parseIfMatch(request.headers['if-match'])),
      ),
  );
  app.post(
    '/api/v1/stations/:id/quality',
    {
      schema: {
        tags: ['stations'],
        summary: 'Rate an operating town station as quality 优质 (admin)',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ ratedOn: z.iso.date(), note: z.string().max(2000).default('') }),
        response: { 200: StationSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(
        reply,
        await stations.rateQuality(commandContext(request, clock), request.params.id, request.body, parseIfMatch(request.headers['if-match'])),
      ),
  );
};
