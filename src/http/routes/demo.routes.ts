import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../application/actor';
import { DemoNotLoadedError, DemoTokensUnavailableError, type DemoPort } from '../demo-port';
import { problem, ProblemSchema, sendProblem } from '../problem';
import { languageOf, SERVICE_DETAILS } from '../messages';

const DemoUserSchema = z
  .object({
    role: z.enum(ROLES),
    roleLabel: z.object({ zh: z.string(), en: z.string() }),
    sub: z.string(),
    person: z.object({ kind: z.enum(['worker', 'official']), id: z.string(), name: z.string() }).nullable(),
    area: z.object({
      level: z.enum(['county', 'town', 'village']),
      townId: z.string().nullable(),
      townName: z.string().nullable(),
      villageId: z.string().nullable(),
      villageName: z.string().nullable(),
      label: z.string(),
    }),
    token: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'DemoUser' });

/**
 * GET /api/v1/demo/users: one user per role with a ready token, for the console's demo sign-in
 * (issue 17). Public like /health, so the console can ask before anyone signs in: outside demo
 * mode it answers 404 (with or without a token), the console's cue to offer the ordinary sign-in.
 * In the demo anyone who reaches the service may sign in as anyone, which is the point of a
 * demo and why DEMO=1 is never set on a deployment holding real data.
 */
export const demoRoutes: FastifyPluginAsyncZod<{ demo: DemoPort | null }> = async (app, { demo }) => {
  app.get(
    '/api/v1/demo/users',
    {
      config: { public: true },
      schema: {
        tags: ['demo'],
        summary: 'Demo mode (DEMO=1) only: one demo user per role with a token valid for 12 hours; 404 outside demo mode',
        response: { 200: z.object({ countyDay: z.string(), items: z.array(DemoUserSchema) }), 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      if (!demo) return sendProblem(request, reply, problem('not-found', 404, { detail: SERVICE_DETAILS.demoModeOnly[languageOf(request)] }));
      try {
        return { countyDay: demo.status().countyDay, items: await demo.users() };
      } catch (error) {
        if (error instanceof DemoNotLoadedError) {
          reply.header('Retry-After', '5');
          return sendProblem(
            request,
            reply,
            problem('demo-not-loaded', 503, {
              detail: SERVICE_DETAILS[error.state === 'failed' ? 'demoFailed' : 'demoLoading'][languageOf(request)],
            }),
          );
        }
        if (error instanceof DemoTokensUnavailableError) {
          return sendProblem(
            request,
            reply,
            problem('demo-tokens-unavailable', 503, {
              detail: SERVICE_DETAILS.demoNeedsSecret[languageOf(request)],
            }),
          );
        }
        throw error;
      }
    },
  );
};
