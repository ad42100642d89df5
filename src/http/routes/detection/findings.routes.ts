import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { FindingsService } from '../../../application/detection/findings.service';
import { FindingCauseSchema, SeveritySchema, SourceSchema } from '../../../domain/detection/vocabulary';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { IdParamsSchema, PageQuerySchema, pageOf } from '../../schemas';
import { BoolQuery, FindingSchema, Month } from './detection.schemas';
import { readerOf } from '../../route-helpers';

const Uuid = z.string().uuid();
const Day = z.iso.date();

export const findingRoutes: FastifyPluginAsyncZod<{ findings: FindingsService; clock: Clock }> = async (app, { findings, clock }) => {
  const reader = readerOf(clock);

  app.get(
    '/api/v1/findings',
    {
      schema: {
        tags: ['detection'],
        summary: 'Findings, newest first, within your jurisdiction; unplaced=true is the queue of people found in no group',
        querystring: PageQuerySchema.extend({
          cause: FindingCauseSchema.optional(),
          severity: SeveritySchema.optional(),
          status: z.enum(['open', 'closed']).optional(),
          source: SourceSchema.optional(),
          import: Uuid.optional(),
          household: Uuid.optional(),
          group: Uuid.optional(),
          village: Uuid.optional(),
          town: Uuid.optional(),
          unplaced: BoolQuery.optional(),
          matched: BoolQuery.optional(),
          from: Day.optional(),
          to: Day.optional(),
        }),
        response: { 200: pageOf(FindingSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, import: importId, household, group, village, town, ...rest } = request.query;
      const filter = {
        ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
        ...(importId ? { importId } : {}),
        ...(household ? { householdId: household } : {}),
        ...(group ? { groupId: group } : {}),
        ...(village ? { villageId: village } : {}),
        ...(town ? { townId: town } : {}),
      };
      return findings.list(reader(request), filter, { limit, cursor });
    },
  );
  app.get(
    '/api/v1/findings/monthly',
    {
      schema: {
        tags: ['detection'],
        summary: 'Findings per month raised, cause and task outcome ("open" while none)',
        querystring: z.object({ from: Month, to: Month }),
        response: {
          200: z.object({ items: z.array(z.object({ month: z.string(), cause: z.string(), outcome: z.string(), count: z.number().int() })) }),
          ...problemResponses,
        },
      },
    },
    async (request) => ({ items: await findings.stats(reader(request), request.query.from, request.query.to) }),
  );
  app.get(
    '/api/v1/findings/:id',
    { schema: { tags: ['detection'], summary: 'One finding with its task', params: IdParamsSchema, response: { 200: FindingSchema, ...problemResponses } } },
    async (request) => findings.get(reader(request), request.params.id),
  );
  app.post(
    '/api/v1/findings/:id/place',
    {
      schema: {
        tags: ['detection'],
        summary: 'Place a person found (not on the register) in a villager group: its task goes to that group’s worker',
        params: IdParamsSchema,
        body: z.object({ groupId: Uuid }),
        response: { 200: FindingSchema, ...problemResponses },
      },
    },
    async (request) => findings.place(commandContext(request, clock), request.params.id, request.body.groupId),
  );
};
