import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { Privacy } from '../../../application/privacy/privacy';
import { problemResponses } from '../../problem';
import { PageQuerySchema, pageOf } from '../../schemas';
import { readerOf } from '../../route-helpers';

const AccessRecordSchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.object({ id: z.string(), role: z.string() }),
    route: z.string(),
    subjectKind: z.string(),
    subjectId: z.string(),
    householdId: z.string().nullable(),
    classes: z.array(z.string()).readonly(),
  })
  .meta({ id: 'PersonalDataAccess' });

export interface PrivacyRouteOptions {
  privacy: Privacy;
  clock: Clock;
}

/** The log of reads of sensitive personal data (PIPL): who read which household's data, when. */
export const privacyRoutes: FastifyPluginAsyncZod<PrivacyRouteOptions> = async (app, { privacy, clock }) => {
  const reader = readerOf(clock);
  app.get(
    '/api/v1/audit/personal-data-access',
    {
      schema: {
        tags: ['audit'],
        summary: 'Reads of health, disability, income and free-text data: who (sub, role), which household, which classes, when (auditor, admin)',
        querystring: PageQuerySchema.extend({
          household: z.string().uuid().optional(),
          actor: z.string().max(200).optional(),
          from: z.iso.datetime().optional(),
          to: z.iso.datetime().optional(),
        }),
        response: { 200: pageOf(AccessRecordSchema), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return privacy.accessLog(
        reader(request),
        {
          ...(q.household ? { householdId: q.household } : {}),
          ...(q.actor ? { actorId: q.actor } : {}),
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
        },
        { limit: q.limit, cursor: q.cursor },
      );
    },
  );
};
