import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReserveFundsService } from '../../../application/assistance/reserve-funds.service';
import type { Clock } from '../../../application/clock';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { readerOf } from '../../route-helpers';

const Day = z.iso.date();
const Uuid = z.string().uuid();
const FundSchema = z
  .object({
    townId: Uuid,
    townName: z.string(),
    asOf: z.string(),
    toppedUpFen: z.number().int(),
    drawnFen: z.number().int(),
    balanceFen: z.number().int().describe('余额（分），负数表示透支 / negative = overdrawn'),
    floatFenPerTown: z.number().int().nullable(),
    lowBalanceFen: z.number().int().nullable(),
    low: z.boolean(),
    topUpToFloatFen: z.number().int().nullable(),
  })
  .meta({ id: 'ReserveFund' });
const MovementSchema = z.object({
  id: Uuid,
  kind: z.enum(['top_up', 'draw']),
  fen: z.number().int(),
  on: z.string(),
  caseId: Uuid.nullable(),
  reference: z.string(),
  recordedAt: z.string(),
});

export interface ReserveFundRouteOptions {
  reserveFunds: ReserveFundsService;
  clock: Clock;
}

export const reserveFundRoutes: FastifyPluginAsyncZod<ReserveFundRouteOptions> = async (app, { reserveFunds, clock }) => {
  const reader = readerOf(clock);
  app.post(
    '/api/v1/reserve-funds/:townId/top-ups',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Top up a town’s 临时救助 reserve fund (备用金; admin)',
        params: z.object({ townId: Uuid }),
        body: z.object({
          fen: z.number().int().positive().max(1_000_000_000),
          on: Day.optional().describe('默认为今天 / default today'),
          reference: z.string().trim().min(1).max(200).describe('拨款文件或凭证号 / allocation document or voucher number'),
        }),
        response: { 201: FundSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await reserveFunds.topUp(commandContext(request, clock), request.params.townId, request.body)),
  );
  app.get(
    '/api/v1/reserve-funds',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Every town’s reserve-fund balance as of a day (read model)',
        querystring: z.object({ asOf: Day.optional() }),
        response: { 200: z.object({ items: z.array(FundSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await reserveFunds.list(reader(request), request.query.asOf) }),
  );
  app.get(
    '/api/v1/reserve-funds/:townId',
    {
      schema: {
        tags: ['assistance'],
        summary: 'One town’s reserve fund: balance and movements (top-ups, emergency grants) as of a day',
        params: z.object({ townId: Uuid }),
        querystring: z.object({ asOf: Day.optional() }),
        response: { 200: FundSchema.extend({ items: z.array(MovementSchema) }), ...problemResponses },
      },
    },
    async (request) => reserveFunds.movements(reader(request), request.params.townId, request.query.asOf),
  );
};
