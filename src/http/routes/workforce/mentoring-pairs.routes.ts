import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { WorkforceService } from '../../../application/workforce/workforce.service';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { IdParamsSchema, PageQuerySchema, pageOf } from '../../schemas';
import { readerOf } from '../../route-helpers';
import { Day, PairSchema, Uuid } from './workforce.schemas';

/** Mentoring pairs (老带新). */
export const mentoringPairRoutes: FastifyPluginAsyncZod<{ workforce: WorkforceService; clock: Clock }> = async (app, { workforce, clock }) => {
  const reader = readerOf(clock);

  app.post(
    '/api/v1/mentoring-pairs',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Form a mentoring pair (老带新)',
        body: z.object({ mentorId: Uuid, menteeId: Uuid, from: Day, to: Day.nullable().optional() }),
        response: { 201: z.object({ id: Uuid }), ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await workforce.formMentoringPair(commandContext(request, clock), request.body)),
  );
  app.post(
    '/api/v1/mentoring-pairs/:id/end',
    {
      schema: {
        tags: ['workforce'],
        summary: 'End a mentoring pair',
        params: IdParamsSchema,
        body: z.object({ to: Day }),
        response: { 200: z.object({ id: Uuid }), ...problemResponses },
      },
    },
    async (request) => workforce.endMentoringPair(commandContext(request, clock), request.params.id, request.body.to),
  );
  app.get(
    '/api/v1/mentoring-pairs',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Mentoring pairs, newest first',
        querystring: PageQuerySchema,
        response: { 200: pageOf(PairSchema), ...problemResponses },
      },
    },
    async (request) => workforce.listMentoringPairs(reader(request), request.query),
  );
};
