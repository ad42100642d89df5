import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema } from '../../schemas';
import { DueItemSchema, SchedulePageQuery, ScheduleSchema, scheduleScopeOf } from './schedule.schemas';
import { Uuid } from './visits.schemas';
import { countyDate, type Clock } from '../../../application/clock';
import type { VisitsService } from '../../../application/visits/visits.service';
import type { JsonCache } from '../../json-cache';
import { problemResponses } from '../../problem';
import { readerOf } from '../../route-helpers';

const CaseloadSchema = z.object({
  workerId: Uuid,
  asOf: z.string(),
  groups: z.array(Uuid),
  households: z.array(Uuid),
  names: z
    .object({
      groups: z.record(z.string(), z.string()).describe('小组 ID → 名称 / group id → name'),
      households: z.record(z.string(), z.string()).describe('家庭 ID → 户主姓名（脱敏）/ household id → head, masked'),
    })
    .describe('列表显示用的名称 / what the lists show the ids by'),
  due: z.array(DueItemSchema),
  overdue: z.array(DueItemSchema),
  done: z.number().int(),
});

/**
 * What is due and overdue (the schedule), and a worker's caseload. The read model's answers are
 * the same for a caller until an event is recorded or the county day turns (the model moves only
 * with events, inline, and is rebuilt for a new day), so they are served from the response cache
 * (issue 20): the items carry masked head names only, no read of them is access-logged.
 */
export const scheduleRoutes: FastifyPluginAsyncZod<{ visits: VisitsService; clock: Clock; cache: JsonCache }> = async (app, { visits, clock, cache }) => {
  const reader = readerOf(clock);

  const horizonOf = (asOf: string, within: string) =>
    new Date(Date.parse(`${asOf}T00:00:00Z`) + Number(within.slice(0, -1)) * 86_400_000).toISOString().slice(0, 10);
  app.get(
    '/api/v1/schedule/overdue',
    {
      schema: {
        tags: ['visits'],
        summary: 'Monthly visits and dynamic reviews past their due date, per worker / village / town',
        querystring: SchedulePageQuery,
        response: { 200: ScheduleSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { limit, cursor, source, worker, village, town } = request.query;
      if (source === 'query') {
        const schedule = await visits.scheduleAtQueryTime(reader(request), scheduleScopeOf(request.query));
        const items = schedule.items.filter((i) => i.status === 'overdue');
        return { ...schedule, items, nextCursor: null, total: items.length };
      }
      const context = reader(request);
      return cache.send(request, reply, ['overdue', countyDate(context.now), worker, village, town, limit, cursor], ScheduleSchema, () =>
        visits.schedule(context, scheduleScopeOf(request.query), { statuses: ['overdue'] }, { limit, cursor }),
      );
    },
  );
  app.get(
    '/api/v1/schedule/due',
    {
      schema: {
        tags: ['visits'],
        summary: 'What falls due within a window (e.g. ?within=7d), not yet done',
        querystring: SchedulePageQuery.extend({
          within: z
            .string()
            .regex(/^\d{1,3}d$/, 'a number of days, e.g. 7d')
            .default('7d'),
        }),
        response: { 200: ScheduleSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { limit, cursor, source, within, worker, village, town } = request.query;
      if (source === 'query') {
        const schedule = await visits.scheduleAtQueryTime(reader(request), scheduleScopeOf(request.query));
        const horizon = horizonOf(schedule.asOf, within);
        const items = schedule.items.filter((i) => i.status === 'due' && i.dueDate <= horizon);
        return { ...schedule, items, nextCursor: null, total: items.length };
      }
      const context = reader(request);
      return cache.send(request, reply, ['due', countyDate(context.now), within, worker, village, town, limit, cursor], ScheduleSchema, () =>
        visits.schedule(context, scheduleScopeOf(request.query), { statuses: ['due'], dueBy: (today) => horizonOf(today, within) }, { limit, cursor }),
      );
    },
  );
  app.get(
    '/api/v1/workers/:id/caseload',
    {
      schema: {
        tags: ['visits'],
        summary: "A worker's caseload: groups, households, what is due and overdue",
        params: IdParamsSchema,
        response: { 200: CaseloadSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const context = reader(request);
      return cache.send(request, reply, ['caseload', countyDate(context.now), request.params.id], CaseloadSchema, () =>
        visits.caseload(context, request.params.id),
      );
    },
  );
};
