import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import buildGetJwks from 'get-jwks';
import { z } from 'zod';
import { ROLES, type Actor } from '../../application/actor';
import { UnauthenticatedError } from '../../application/errors';

export interface AuthOptions {
  /** HS256 shared secret. */
  secret?: string;
  /** RS256 public key (PEM). */
  publicKey?: string;
  /** RS256 keys from a JWKS endpoint, for tokens of this issuer. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** Routes anyone may call without a token (health, docs). */
    public?: boolean;
  }
}

const ClaimsSchema = z.object({ sub: z.string().min(1), role: z.enum(ROLES) });

async function authPlugin(app: FastifyInstance, options: AuthOptions): Promise<void> {
  const verify = {
    ...(options.issuer ? { allowedIss: options.issuer } : {}),
    ...(options.audience ? { allowedAud: options.audience } : {}),
  };
  if (options.jwksUrl) {
    const jwks = buildGetJwks({ jwksPath: new URL(options.jwksUrl).pathname, issuersWhitelist: [new URL(options.jwksUrl).origin], providerDiscovery: false });
    const origin = new URL(options.jwksUrl).origin;
    await app.register(fastifyJwt, {
      decode: { complete: true },
      secret: async (_request: FastifyRequest, token: any) =>
        jwks.getPublicKey({ kid: token.header.kid, alg: token.header.alg, domain: origin }),
      verify: { ...verify, algorithms: ['RS256'] },
    });
  } else if (options.publicKey) {
    await app.register(fastifyJwt, { secret: { public: options.publicKey }, verify: { ...verify, algorithms: ['RS256'] } });
  } else if (options.secret) {
    await app.register(fastifyJwt, { secret: options.secret, verify: { ...verify, algorithms: ['HS256'] } });
  } else {
    throw new Error('no JWT key configured');
  }

  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request) => {
    // The OpenAPI document and Swagger UI are public, like /health.
    if (request.routeOptions.config?.public || request.url === '/docs' || request.url.startsWith('/docs/')) return;
    if (!request.headers.authorization) throw new UnauthenticatedError();
    let payload: unknown;
    try {
      payload = await request.jwtVerify();
    } catch (error) {
      throw new UnauthenticatedError(`the bearer token was refused: ${(error as Error).message}`);
    }
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) throw new UnauthenticatedError(`the token needs a subject and one of the roles ${ROLES.join(', ')}`);
    request.actor = { id: claims.data.sub, role: claims.data.role };
  });
}

export default fp(authPlugin, { name: 'auth' });
