import { fieldMessage } from '../../../domain/shared/field-messages';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isValidNationalId } from '../../../domain/shared/national-id';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { IdParamsSchema, PageQuerySchema, pageOf } from '../../schemas';
import type { CommunityRoutesOptions } from './community.routes';
import { Day, HoursRowSchema, IfMatchHeaders, MobilisableCountSchema, Month, monthRange, Phone, Text, Uuid, VolunteerSchema } from './community.schemas';
import { ifMatchOf, readerOf, sendVersioned } from '../../route-helpers';

const Skills = z.array(Text(30)).max(20).default([]);
const tags = ['community: volunteers'];

/** Volunteers (志愿者) and mobilisable counts. */
export const volunteerRoutes: FastifyPluginAsyncZod<CommunityRoutesOptions> = async (app, { community, clock }) => {
  const reader = readerOf(clock);
  const { volunteers, mobilisation } = community;

  app.post(
    '/api/v1/volunteers',
    {
      schema: {
        tags,
        summary: 'Register a volunteer (town or village, checked national ID number)',
        body: z
          .object({
            name: Text(50),
            idNumber: z.string().trim().refine(isValidNationalId, fieldMessage('id_number.invalid')),
            phone: Phone,
            skills: Skills,
            townId: Uuid.optional(),
            villageId: Uuid.nullable().optional(),
            registeredOn: Day.optional().describe('默认为今天 / default: today'),
          })
          .refine((b) => !!b.townId || !!b.villageId, { message: 'give townId or villageId', path: ['townId'] }),
        response: { 201: VolunteerSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const volunteer = await volunteers.register(commandContext(request, clock), request.body);
      reply.header('location', `/api/v1/volunteers/${volunteer.id}`);
      return sendVersioned(reply, volunteer, 201);
    },
  );
  app.get(
    '/api/v1/volunteers',
    {
      schema: {
        tags,
        summary: 'Volunteers: by town, village, status, skill, name, exact ID number, current team',
        querystring: PageQuerySchema.extend({
          town: Uuid.optional(),
          village: Uuid.optional(),
          status: z.enum(['registered', 'withdrawn']).optional(),
          skill: Text(30).optional(),
          name: Text(50).optional(),
          idNumber: z.string().trim().length(18).optional(),
          team: Uuid.optional(),
        }),
        response: { 200: pageOf(VolunteerSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, town, village, team, ...rest } = request.query;
      return volunteers.list(reader(request), { ...rest, townId: town, villageId: village, teamId: team }, { limit, cursor });
    },
  );
  app.get(
    '/api/v1/volunteers/:id',
    {
      schema: { tags, summary: 'One volunteer, with teams and total minutes', params: IdParamsSchema, response: { 200: VolunteerSchema, ...problemResponses } },
    },
    async (request, reply) => sendVersioned(reply, await volunteers.get(reader(request), request.params.id)),
  );
  app.put(
    '/api/v1/volunteers/:id/profile',
    {
      schema: {
        tags,
        summary: 'Change phone and skills',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ phone: Phone, skills: Skills }),
        response: { 200: VolunteerSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(reply, await volunteers.updateProfile(commandContext(request, clock), request.params.id, request.body, ifMatchOf(request))),
  );
  app.post(
    '/api/v1/volunteers/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw a volunteer (ends their team memberships the same day)',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z.object({ on: Day.optional(), reason: Text(500) }),
        response: { 200: VolunteerSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(reply, await volunteers.withdraw(commandContext(request, clock), request.params.id, request.body, ifMatchOf(request))),
  );
  app.get(
    '/api/v1/volunteers/:id/hours',
    {
      schema: {
        tags,
        summary: "A volunteer's service minutes per month",
        params: IdParamsSchema,
        querystring: z.object({ from: Month.optional(), to: Month.optional() }),
        response: { 200: z.object({ volunteerId: Uuid, totalMinutes: z.number().int(), months: z.array(HoursRowSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      const rows = await volunteers.hours(reader(request), request.params.id, monthRange(request.query.from, request.query.to));
      const months = rows.map((r) => ({ ...r, hours: Math.round(r.minutes / 6) / 10 }));
      return { volunteerId: request.params.id, totalMinutes: rows.reduce((sum, r) => sum + r.minutes, 0), months };
    },
  );

  // ── Mobilisable counts ─────────────────────────────────────────────────────
  app.post(
    '/api/v1/mobilisable-counts',
    {
      schema: {
        tags,
        summary: 'Record how many people an organisation can mobilise without each registering (the latest count per organisation stands)',
        body: z.object({
          organisation: Text(100),
          townId: Uuid.nullable().optional().describe('乡镇 ID；不填为县级组织（管理员） / absent: a county-level organisation (admin)'),
          count: z.number().int().min(0).max(1_000_000),
          asOf: Day.optional(),
          note: z.string().trim().max(500).optional(),
        }),
        response: { 201: MobilisableCountSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await mobilisation.record(commandContext(request, clock), request.body)),
  );
  app.get(
    '/api/v1/mobilisable-counts',
    {
      schema: {
        tags,
        summary: 'Mobilisable counts per organisation',
        querystring: z.object({ town: Uuid.optional() }),
        response: { 200: z.object({ items: z.array(MobilisableCountSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await mobilisation.list(reader(request), { ...(request.query.town ? { townId: request.query.town } : {}) }) }),
  );
};
