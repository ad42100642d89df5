import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { WorkforceService } from '../../../application/workforce/workforce.service';
import { TrainingKindSchema } from '../../../domain/workforce/training-session.events';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { IdParamsSchema, PageQuerySchema, pageOf } from '../../schemas';
import { readerOf } from '../../route-helpers';
import { Day, TrainingSessionSchema, Uuid } from './workforce.schemas';

/** Training sessions and their attendance. */
export const trainingSessionRoutes: FastifyPluginAsyncZod<{ workforce: WorkforceService; clock: Clock }> = async (app, { workforce, clock }) => {
  const reader = readerOf(clock);

  app.post(
    '/api/v1/training-sessions',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Record a training session, optionally with its attendees',
        body: z.object({ title: z.string().trim().min(1).max(200), heldOn: Day, kind: TrainingKindSchema, attendeeIds: z.array(Uuid).max(1000).optional() }),
        response: { 201: z.object({ id: Uuid }), ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await workforce.recordTrainingSession(commandContext(request, clock), request.body)),
  );
  app.post(
    '/api/v1/training-sessions/:id/attendance',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Record who attended a training session',
        params: IdParamsSchema,
        body: z.object({ workerIds: z.array(Uuid).min(1).max(1000) }),
        response: { 200: z.object({ id: Uuid }), ...problemResponses },
      },
    },
    async (request) => workforce.recordAttendance(commandContext(request, clock), request.params.id, request.body.workerIds),
  );
  app.get(
    '/api/v1/training-sessions',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Training sessions, newest first',
        querystring: PageQuerySchema,
        response: { 200: pageOf(TrainingSessionSchema), ...problemResponses },
      },
    },
    async (request) => workforce.listTrainingSessions(reader(request), request.query),
  );
};
