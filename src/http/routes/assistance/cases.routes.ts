import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CasesService } from '../../../application/assistance/cases.service';
import type { Clock } from '../../../application/clock';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { readerOf, sendVersioned } from '../../route-helpers';
import { IdParamsSchema, pageOf } from '../../schemas';
import { OpenObject } from './assistance.schemas';
import { ApplyBody, CaseListQuery, CaseSchema } from './cases.schemas';

/** Assistance cases: apply, list, read one, its history and its public notice list. */
export const caseRoutes: FastifyPluginAsyncZod<{ cases: CasesService; clock: Clock }> = async (app, { cases, clock }) => {
  const reader = readerOf(clock);

  app.post(
    '/api/v1/cases',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Apply: by the household, or started by a worker (proactive, emergency)',
        body: ApplyBody,
        response: { 201: CaseSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const c = await cases.apply(commandContext(request, clock), request.body);
      reply.header('location', `/api/v1/cases/${c.id}`);
      return sendVersioned(reply, c, 201);
    },
  );
  app.get(
    '/api/v1/cases',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Cases; ?overdue=true lists those past a deadline (computed today)',
        querystring: CaseListQuery,
        response: { 200: pageOf(CaseSchema), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return cases.list(
        reader(request),
        {
          ...(q.program ? { program: q.program } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.town ? { townId: q.town } : {}),
          ...(q.village ? { villageId: q.village } : {}),
          ...(q.household ? { householdId: q.household } : {}),
          overdueOnly: q.overdue === 'true',
        },
        { limit: q.limit, cursor: q.cursor },
      );
    },
  );
  app.get(
    '/api/v1/cases/:id',
    {
      schema: {
        tags: ['assistance'],
        summary: 'One case with its due dates and what is overdue',
        params: IdParamsSchema,
        response: { 200: CaseSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await cases.get(reader(request), request.params.id)),
  );
  app.get(
    '/api/v1/cases/:id/history',
    {
      schema: {
        tags: ['assistance', 'audit'],
        summary: 'The case as it stood at a moment (?asOf=ISO instant), with the events that made it',
        params: IdParamsSchema,
        querystring: z.object({ asOf: z.string().datetime().optional() }),
        response: { 200: OpenObject, ...problemResponses },
      },
    },
    async (request) => cases.history(reader(request), request.params.id, request.query.asOf),
  );
  app.get(
    '/api/v1/cases/:id/notice',
    {
      schema: {
        tags: ['assistance'],
        summary: 'The public notice list (names and ID numbers masked)',
        params: IdParamsSchema,
        response: { 200: OpenObject, ...problemResponses },
      },
    },
    async (request) => cases.noticeList(reader(request), request.params.id),
  );
};
