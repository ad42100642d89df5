import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { IdParamsSchema, PageQuerySchema, pageOf } from '../../schemas';
import type { CommunityRoutesOptions } from './community.routes';
import { Day, HoursRowSchema, MinutesSchema, Month, monthRange, ServedGroupSchema, ServiceRecordSchema, Text, Uuid } from './community.schemas';
import { readerOf, sendVersioned } from '../../route-helpers';

const tags = ['community: service records'];

/** Service records (志愿服务记录) and hours per volunteer, team or month. */
export const serviceRecordRoutes: FastifyPluginAsyncZod<CommunityRoutesOptions> = async (app, { community, clock }) => {
  const reader = readerOf(clock);
  const { serviceRecords } = community;

  app.post(
    '/api/v1/service-records',
    {
      schema: {
        tags,
        summary: 'Record a service activity: volunteers (minutes each, team served with), households or groups served, project',
        body: z
          .object({
            activity: Text(200),
            date: Day,
            townId: Uuid.optional(),
            villageId: Uuid.nullable().optional(),
            projectId: Uuid.nullable().optional(),
            participants: z
              .array(
                z.object({
                  volunteerId: Uuid,
                  teamId: Uuid.nullable().optional(),
                  minutes: MinutesSchema.describe('该志愿者的服务时长（分钟，1–1440） / integer minutes this volunteer served (1–1440)'),
                }),
              )
              .max(500)
              .default([]),
            householdIds: z.array(Uuid).max(500).optional(),
            servedGroups: z.array(ServedGroupSchema).max(4).optional().describe('一小一老、一残一困: child, elder, disabled, hardship'),
            peopleServed: z
              .number()
              .int()
              .min(0)
              .max(1_000_000)
              .optional()
              .describe('服务人数；默认为所服务家庭的成员数 / default: the members of the households served'),
            childrenServed: z
              .number()
              .int()
              .min(0)
              .max(1_000_000)
              .optional()
              .describe('服务儿童数；默认为所服务家庭中当日未满 18 岁的成员数 / default: members of the households served under 18 on the day'),
            note: z.string().trim().max(2000).optional(),
          })
          .refine((b) => !!b.townId || !!b.villageId, { message: 'give townId or villageId', path: ['townId'] }),
        response: { 201: ServiceRecordSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const record = await serviceRecords.record(commandContext(request, clock), request.body);
      reply.header('location', `/api/v1/service-records/${record.id}`);
      return sendVersioned(reply, record, 201);
    },
  );
  app.get(
    '/api/v1/service-records',
    {
      schema: {
        tags,
        summary: 'Service records, newest first: by date range, volunteer, team, project, household, town',
        querystring: PageQuerySchema.extend({
          from: Day.optional(),
          to: Day.optional(),
          volunteer: Uuid.optional(),
          team: Uuid.optional(),
          project: Uuid.optional(),
          household: Uuid.optional(),
          town: Uuid.optional(),
          includeVoided: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: pageOf(ServiceRecordSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, from, to, volunteer, team, project, household, town, includeVoided } = request.query;
      return serviceRecords.list(
        reader(request),
        { from, to, volunteerId: volunteer, teamId: team, projectId: project, householdId: household, townId: town, includeVoided: includeVoided === 'true' },
        { limit, cursor },
      );
    },
  );
  app.get(
    '/api/v1/service-records/:id',
    { schema: { tags, summary: 'One service record', params: IdParamsSchema, response: { 200: ServiceRecordSchema, ...problemResponses } } },
    async (request, reply) => sendVersioned(reply, await serviceRecords.get(reader(request), request.params.id)),
  );
  app.post(
    '/api/v1/service-records/:id/void',
    {
      schema: {
        tags,
        summary: 'Void a wrong record (its minutes and households stop counting)',
        params: IdParamsSchema,
        body: z.object({ reason: Text(500) }),
        response: { 200: ServiceRecordSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await serviceRecords.void(commandContext(request, clock), request.params.id, request.body.reason)),
  );
  app.get(
    '/api/v1/service-hours',
    {
      schema: {
        tags,
        summary: 'Service minutes summed per volunteer, per team or per month (hours = minutes / 60, display only)',
        querystring: PageQuerySchema.extend({
          by: z.enum(['volunteer', 'team', 'month']),
          from: Month.optional(),
          to: Month.optional(),
          town: Uuid.optional(),
          volunteer: Uuid.optional(),
          team: Uuid.optional(),
        }),
        response: { 200: pageOf(HoursRowSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, by, from, to, town, volunteer, team } = request.query;
      const page = await serviceRecords.hours(
        reader(request),
        by,
        { ...monthRange(from, to), townId: town, volunteerId: volunteer, teamId: team },
        { limit, cursor },
      );
      return { items: page.items.map((r) => ({ ...r, hours: Math.round(r.minutes / 6) / 10 })), nextCursor: page.nextCursor };
    },
  );
};
