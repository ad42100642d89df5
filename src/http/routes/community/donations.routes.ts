import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { IdParamsSchema, PageQuerySchema, pageOf } from '../../schemas';
import type { CommunityRoutesOptions } from './community.routes';
import { Day, DonationChannelSchema, DonationSchema, DonorKindSchema, Fen, IfMatchHeaders, Text, Uuid } from './community.schemas';
import { ifMatchOf, readerOf, sendVersioned } from '../../route-helpers';

const tags = ['community: donations'];

/** Donations (捐赠), in integer fen, and their allocations to projects or households. */
export const donationRoutes: FastifyPluginAsyncZod<CommunityRoutesOptions> = async (app, { community, clock }) => {
  const reader = readerOf(clock);
  const { donations } = community;

  app.post(
    '/api/v1/donations',
    {
      schema: {
        tags,
        summary: 'Record a donation received',
        body: z.object({
          donor: z.object({ kind: DonorKindSchema, name: Text(200).nullable().optional().describe('捐赠人名称；个人可匿名 / a person may stay anonymous') }),
          amountFen: Fen,
          receivedOn: Day.optional(),
          channel: DonationChannelSchema,
          purpose: Text(500),
          designatedProjectId: Uuid.nullable()
            .optional()
            .describe('捐赠人指定的项目：只能分配到该项目 / the donor designated one project: allocations may go only there'),
          townId: Uuid.nullable()
            .optional()
            .describe('接收捐赠的乡镇；不填为县民政局（管理员） / the receiving town station; absent: the county bureau (admin)'),
        }),
        response: { 201: DonationSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const donation = await donations.receive(commandContext(request, clock), request.body);
      reply.header('location', `/api/v1/donations/${donation.id}`);
      return sendVersioned(reply, donation, 201);
    },
  );
  app.get(
    '/api/v1/donations',
    {
      schema: {
        tags,
        summary: 'Donations, newest first: by donor kind, channel, date range, town, project, household, with balance left',
        querystring: PageQuerySchema.extend({
          donorKind: DonorKindSchema.optional(),
          channel: DonationChannelSchema.optional(),
          from: Day.optional(),
          to: Day.optional(),
          town: Uuid.optional(),
          project: Uuid.optional(),
          household: Uuid.optional(),
          withBalance: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: pageOf(DonationSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, donorKind, channel, from, to, town, project, household, withBalance } = request.query;
      return donations.list(
        reader(request),
        { donorKind, channel, from, to, townId: town, projectId: project, householdId: household, withBalance: withBalance === 'true' },
        { limit, cursor },
      );
    },
  );
  app.get(
    '/api/v1/donations/:id',
    {
      schema: {
        tags,
        summary: 'One donation, with its allocations and what remains',
        params: IdParamsSchema,
        response: { 200: DonationSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await donations.get(reader(request), request.params.id)),
  );
  app.post(
    '/api/v1/donations/:id/allocations',
    {
      schema: {
        tags,
        summary: 'Allocate part of a donation to a project or a household (never more than remains: 422 donation.over_balance)',
        params: IdParamsSchema,
        headers: IfMatchHeaders,
        body: z
          .object({
            projectId: Uuid.optional(),
            householdId: Uuid.optional(),
            amountFen: Fen,
            on: Day.optional(),
            note: z.string().trim().max(1000).optional(),
          })
          .refine((b) => !!b.projectId !== !!b.householdId, { message: 'give exactly one of projectId or householdId', path: ['projectId'] }),
        response: { 201: DonationSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendVersioned(reply, await donations.allocate(commandContext(request, clock), request.params.id, request.body, ifMatchOf(request)), 201),
  );
};
