import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { TooManyRequestsError } from '../edge-errors';

export interface EdgeProtectionOptions {
  /** Browser origins allowed by CORS; empty = no CORS headers at all. */
  corsOrigins: readonly string[];
  /** Requests a minute per client IP. */
  perIp: number;
  /** Origins besides this one the console's scripts may fetch from (the OIDC provider's). */
  connectOrigins?: readonly string[];
}

/**
 * What every request meets first, before authentication: security headers (helmet), CORS for
 * the configured origins only, a per-IP rate limit, and `Cache-Control: no-store` on the API —
 * its answers carry personal data and must not sit in a browser or proxy cache.
 */
async function edgeProtection(app: FastifyInstance, options: EdgeProtectionOptions): Promise<void> {
  await app.register(helmet, {
    // Swagger UI (/docs) loads its own scripts and styles from this origin; nothing else is needed.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ...(options.connectOrigins ?? [])],
        frameAncestors: ["'none'"],
      },
    },
  });
  if (options.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...options.corsOrigins],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Request-Id', 'X-Correlation-Id'],
      exposedHeaders: ['ETag', 'Location', 'X-Request-Id', 'Retry-After', 'Idempotent-Replayed'],
      maxAge: 600,
    });
  }
  await app.register(rateLimit, { global: false });
  const ipLimit = app.createRateLimit({ max: options.perIp, timeWindow: 60_000, keyGenerator: (request) => `ip:${request.ip}` });
  app.addHook('onRequest', async (request) => {
    const result = await ipLimit(request);
    if (!result.isAllowed && result.isExceeded) {
      throw new TooManyRequestsError('来自此地址的请求过多，请稍后再试', Math.max(1, result.ttlInSeconds), 'rate-limited');
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

export default fp(edgeProtection, { name: 'edge-protection' });
