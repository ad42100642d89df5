import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { TooManyRequestsError } from '../edge-errors';
import { CONCURRENCY_LIMITS, isHeavyRoute } from '../heavy-routes';

export interface CallerLimitsOptions {
  /** Requests a minute per token subject (and role). */
  perSub: number;
  /** Requests a minute per subject on heavy routes (audit, exports, imports). */
  heavyPerSub: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    heavySlot: string | null;
  }
}

/**
 * Limits that need to know who is calling, so they run after authentication: a per-subject
 * rate limit, a stricter one on heavy routes, and a bound on how many heavy jobs (a whole-log
 * verify, a replay, an export) run at once in this process, so they cannot starve /health and
 * every other caller of the event loop and the database pool.
 */
async function callerLimits(app: FastifyInstance, options: CallerLimitsOptions): Promise<void> {
  const subject = (request: FastifyRequest) => `${request.actor.role}:${request.actor.id}`;
  const perSub = app.createRateLimit({ max: options.perSub, timeWindow: 60_000, keyGenerator: (r) => `sub:${subject(r)}` });
  const heavy = app.createRateLimit({ max: options.heavyPerSub, timeWindow: 60_000, keyGenerator: (r) => `heavy:${subject(r)}` });
  const running = new Map<string, number>();
  app.decorateRequest('heavySlot', null);

  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    if (!request.actor || !route) return;
    for (const limiter of isHeavyRoute(route) ? [perSub, heavy] : [perSub]) {
      const result = await limiter(request);
      if (!result.isAllowed && result.isExceeded) {
        throw new TooManyRequestsError('请求过于频繁，请稍后再试', Math.max(1, result.ttlInSeconds), 'rate-limited');
      }
    }
    const key = `${request.method} ${route}`;
    const bound = CONCURRENCY_LIMITS[key];
    if (!bound) return;
    const now = running.get(key) ?? 0;
    if (now >= bound.limit) throw new TooManyRequestsError(`同类任务正在运行（最多 ${bound.limit} 个），请稍后再试`, bound.retryAfterSeconds, 'busy');
    running.set(key, now + 1);
    request.heavySlot = key;
  });

  const release = async (request: FastifyRequest) => {
    const key = request.heavySlot;
    if (!key) return;
    request.heavySlot = null;
    running.set(key, Math.max(0, (running.get(key) ?? 1) - 1));
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
}

export default fp(callerLimits, { name: 'caller-limits', dependencies: ['auth', 'edge-protection'] });
