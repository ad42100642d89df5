import fastifyJwt, { type TokenOrHeader } from '@fastify/jwt';
import type { JwtHeader } from 'fast-jwt';
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
  /**
   * RS256 keys of an OpenID Connect provider: its discovery document's jwks_uri, read on the first
   * token and cached (used when neither jwksUrl nor publicKey is given).
   */
  discoveryIssuer?: string;
  issuer?: string;
  audience?: string;
  /** Longest accepted lifetime in seconds (exp − iat, or exp − now); default one day. */
  maxLifetimeSeconds?: number;
  /** Clock skew tolerated on exp, nbf and iat; default 30 s. */
  clockToleranceSeconds?: number;
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

/**
 * Rules on a token's times that the JWT library leaves open: `exp` is required (the library
 * checks it is not past), no lifetime beyond the maximum, and no `iat` in the future beyond the
 * tolerated skew (the library checks `nbf`). Returns why the token is refused, or null.
 */
export function tokenTimeProblem(payload: Record<string, unknown>, nowSeconds: number, maxLifetimeSeconds: number, toleranceSeconds: number): string | null {
  const { exp, iat, nbf } = payload;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return 'the token has no expiry (exp)';
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) return 'iat is not a time';
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) return 'nbf is not a time';
  if (typeof iat === 'number' && iat > nowSeconds + toleranceSeconds) return 'the token was issued in the future (iat)';
  if (typeof nbf === 'number' && nbf > nowSeconds + toleranceSeconds) return 'the token is not valid yet (nbf)';
  const issued = typeof iat === 'number' ? Math.min(iat, nowSeconds) : nowSeconds;
  if (exp - issued > maxLifetimeSeconds + toleranceSeconds) return `the token lives longer than the allowed ${maxLifetimeSeconds} s`;
  return null;
}

/** Verifies RS256 tokens with the key their header's kid names, fetched from `domain`'s JWKS. */
async function registerJwks(app: FastifyInstance, jwks: ReturnType<typeof buildGetJwks>, domain: string, verify: object): Promise<void> {
  await app.register(fastifyJwt, {
    decode: { complete: true },
    secret: async (_request: FastifyRequest, token: TokenOrHeader) => {
      // decode.complete: the token arrives decoded, its header beside its payload (typed any by the plugin).
      const header = 'payload' in token ? (token.header as JwtHeader) : token;
      return jwks.getPublicKey({ kid: header.kid, alg: header.alg, domain });
    },
    verify: { ...verify, algorithms: ['RS256'] },
  });
}

async function authPlugin(app: FastifyInstance, options: AuthOptions): Promise<void> {
  const maxLifetime = options.maxLifetimeSeconds ?? 86_400;
  const tolerance = options.clockToleranceSeconds ?? 30;
  const verify = {
    ...(options.issuer ? { allowedIss: options.issuer } : {}),
    ...(options.audience ? { allowedAud: options.audience } : {}),
    requiredClaims: ['exp'],
    clockTolerance: tolerance * 1000,
  };
  if (options.jwksUrl) {
    const origin = new URL(options.jwksUrl).origin;
    const jwks = buildGetJwks({ jwksPath: new URL(options.jwksUrl).pathname, issuersWhitelist: [origin], providerDiscovery: false });
    await registerJwks(app, jwks, origin, verify);
  } else if (options.publicKey) {
    await app.register(fastifyJwt, { secret: { public: options.publicKey }, verify: { ...verify, algorithms: ['RS256'] } });
  } else if (options.discoveryIssuer) {
    // get-jwks reads ISSUER/.well-known/openid-configuration, then its jwks_uri; keys are cached,
    // so the service starts (and its other answers go on) while the provider is unreachable.
    const jwks = buildGetJwks({ issuersWhitelist: [options.discoveryIssuer], providerDiscovery: true });
    await registerJwks(app, jwks, options.discoveryIssuer, verify);
  } else if (options.secret) {
    // Tokens this service signs itself (tests, the token CLI's twin) carry a short exp too.
    await app.register(fastifyJwt, {
      secret: options.secret,
      sign: { expiresIn: `${Math.min(3600, maxLifetime)}s` },
      verify: { ...verify, algorithms: ['HS256'] },
    });
  } else {
    throw new Error('no JWT key configured');
  }

  // Fastify wants a placeholder of the declared type; the hook below sets the actor before any route runs.
  // eslint-disable-next-line no-restricted-syntax -- adapter boundary: fastify's decorator placeholder
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request) => {
    // The OpenAPI document and Swagger UI are public, like /health.
    if (request.routeOptions.config?.public || request.url === '/docs' || request.url.startsWith('/docs/')) return;
    // A CORS pre-flight carries no credentials by design: answered by the CORS plugin, or 404.
    if (request.method === 'OPTIONS') return;
    if (!request.headers.authorization) throw new UnauthenticatedError();
    let payload: unknown;
    try {
      payload = await request.jwtVerify();
    } catch (error) {
      throw new UnauthenticatedError(`the bearer token was refused: ${(error as Error).message}`);
    }
    const timeProblem = tokenTimeProblem(payload as Record<string, unknown>, Date.now() / 1000, maxLifetime, tolerance);
    if (timeProblem) throw new UnauthenticatedError(`the bearer token was refused: ${timeProblem}`);
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) throw new UnauthenticatedError(`the token needs a subject and one of the roles ${ROLES.join(', ')}`);
    request.actor = { id: claims.data.sub, role: claims.data.role };
  });
}

export default fp(authPlugin, { name: 'auth' });
