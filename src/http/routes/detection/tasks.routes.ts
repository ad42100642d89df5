import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { TasksService } from '../../../application/detection/tasks.service';
import type { Outcome } from '../../../domain/detection/vocabulary';
import { FindingCauseSchema, SeveritySchema } from '../../../domain/detection/vocabulary';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { IdParamsSchema, PageQuerySchema, pageOf } from '../../schemas';
import { BoolQuery, TaskSchema } from './detection.schemas';
import { readerOf } from '../../route-helpers';

const Uuid = z.string().uuid();
const Day = z.iso.date();

const OutcomeBody = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('visited_enrolled'),
    on: Day,
    applicationId: Uuid.describe('纳入救助时的救助申请（案件）ID / the assistance application the household was enrolled with'),
  }),
  z.object({ outcome: z.literal('referred'), on: Day, agency: z.string().trim().min(1).max(200) }),
  z.object({ outcome: z.literal('no_need'), on: Day, reason: z.string().trim().min(1).max(2000) }),
]);

const toOutcome = (b: z.infer<typeof OutcomeBody>): Outcome =>
  b.outcome === 'visited_enrolled'
    ? { kind: b.outcome, applicationId: b.applicationId }
    : b.outcome === 'referred'
      ? { kind: b.outcome, agency: b.agency }
      : { kind: b.outcome, reason: b.reason };

const TaskQuery = z.object({
  assignee: z.string().min(1).max(100).optional(),
  group: Uuid.optional(),
  village: Uuid.optional(),
  town: Uuid.optional(),
  status: z.enum(['open', 'closed']).optional(),
  overdue: BoolQuery.optional(),
  cause: FindingCauseSchema.optional(),
  severity: SeveritySchema.optional(),
  unassigned: BoolQuery.optional(),
});
const filterOf = (q: z.infer<typeof TaskQuery>) => {
  const { assignee, group, village, town, ...rest } = q;
  return {
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    ...(assignee ? { assigneeId: assignee } : {}),
    ...(group ? { groupId: group } : {}),
    ...(village ? { villageId: village } : {}),
    ...(town ? { townId: town } : {}),
  };
};

export const taskRoutes: FastifyPluginAsyncZod<{ tasks: TasksService; clock: Clock }> = async (app, { tasks, clock }) => {
  const reader = readerOf(clock);

  app.get(
    '/api/v1/tasks',
    {
      schema: {
        tags: ['detection'],
        summary: 'Worker tasks from findings, earliest deadline first; the assignee is the group’s responsible worker today',
        querystring: PageQuerySchema.extend(TaskQuery.shape),
        response: { 200: pageOf(TaskSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, ...query } = request.query;
      return tasks.list(reader(request), filterOf(query), { limit, cursor });
    },
  );
  app.get(
    '/api/v1/tasks/overdue',
    {
      schema: {
        tags: ['detection'],
        summary: 'Open tasks past their deadline, counted per worker, village or town (key null: no responsible worker / unplaced)',
        querystring: TaskQuery.extend({ by: z.enum(['worker', 'village', 'town']).default('worker') }),
        response: {
          200: z.object({
            asOf: z.string(),
            by: z.string(),
            items: z.array(z.object({ key: z.string().nullable(), overdue: z.number().int(), oldestDeadline: z.string() })),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { by, ...query } = request.query;
      return tasks.overdue(reader(request), by, filterOf(query));
    },
  );
  app.get(
    '/api/v1/tasks/:id',
    { schema: { tags: ['detection'], summary: 'One task', params: IdParamsSchema, response: { 200: TaskSchema, ...problemResponses } } },
    async (request) => tasks.get(reader(request), request.params.id),
  );
  app.post(
    '/api/v1/tasks/:id/outcome',
    {
      schema: {
        tags: ['detection'],
        summary: 'Record the outcome of a task (its assignee, a supervising town or county worker, or the bureau)',
        params: IdParamsSchema,
        body: OutcomeBody,
        response: { 200: TaskSchema, ...problemResponses },
      },
    },
    async (request) => tasks.recordOutcome(commandContext(request, clock), request.params.id, { on: request.body.on, outcome: toOutcome(request.body) }),
  );
};
