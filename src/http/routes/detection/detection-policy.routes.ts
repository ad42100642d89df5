import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { DetectionPolicyService } from '../../../application/detection/detection-policy.service';
import { DetectionPolicySchema } from '../../../domain/detection/detection-policy';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';

export const detectionPolicyRoutes: FastifyPluginAsyncZod<{ policy: DetectionPolicyService; clock: Clock }> = async (app, { policy, clock }) => {
  app.get(
    '/api/v1/detection-policies',
    {
      schema: {
        tags: ['detection'],
        summary: 'Detection policy versions: thresholds, windows, severities, deadlines',
        response: { 200: z.object({ items: z.array(DetectionPolicySchema) }), ...problemResponses },
      },
    },
    async () => ({ items: await policy.versions() }),
  );
  app.post(
    '/api/v1/detection-policies',
    {
      schema: {
        tags: ['detection'],
        summary: 'Add a detection policy version with an effective date (admin)',
        body: DetectionPolicySchema.omit({ version: true }),
        response: { 201: DetectionPolicySchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await policy.add(commandContext(request, clock), request.body)),
  );
};
