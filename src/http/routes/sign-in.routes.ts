import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../application/actor';
import type { Config } from '../../config';

const SignInOptionsSchema = z
  .object({
    demo: z.boolean(),
    tokenPaste: z.boolean(),
    oidc: z.object({ issuer: z.string(), clientId: z.string(), scope: z.string() }).nullable(),
  })
  .meta({ id: 'SignInOptions' });

const SignedInSchema = z.object({ sub: z.string(), role: z.enum(ROLES) }).meta({ id: 'SignedIn' });

/**
 * What the console's sign-in page offers (issue 17), asked before anyone signs in: demo users
 * (DEMO=1), pasting a token, and the county's OpenID Connect provider when OIDC_ISSUER and
 * OIDC_CLIENT_ID are set. Public like /health: the issuer and a public client's id are what the
 * provider's own login page shows anyway; no secret is configured or answered.
 */
export const signInRoutes: FastifyPluginAsyncZod<{ config: Config; demo: boolean }> = async (app, { config, demo }) => {
  const options = {
    demo,
    tokenPaste: true,
    oidc: config.OIDC_ISSUER && config.OIDC_CLIENT_ID ? { issuer: config.OIDC_ISSUER, clientId: config.OIDC_CLIENT_ID, scope: config.OIDC_SCOPE } : null,
  };
  app.get(
    '/api/v1/auth/sign-in-options',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'How one may sign in to the console: demo users, a pasted token, the OpenID Connect provider (public)',
        response: { 200: SignInOptionsSchema },
      },
    },
    async () => options,
  );

  // The console's check that the service accepts a token it got (from the provider, or pasted)
  // before it shows a menu: 401 with the reason as problem+json when it does not.
  app.get(
    '/api/v1/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who the bearer token signs in as (its subject and role), or 401 with why it is refused',
        response: { 200: SignedInSchema },
      },
    },
    // A token's role is one of ROLES (the auth hook refuses others); `system` is never a caller's.
    async (request) => SignedInSchema.parse({ sub: request.actor.id, role: request.actor.role }),
  );
};
