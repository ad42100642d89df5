import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ForbiddenError, UnauthenticatedError } from '../../application/errors';
import type { ServiceMetrics } from '../../observability/metrics';

export interface MetricsPluginOptions {
  metrics: ServiceMetrics;
  access: 'protected' | 'public' | 'off';
  /** A static bearer token for the scraper (Prometheus `authorization: credentials`). */
  token?: string;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Request rate and latency by route template and status for every request, and GET /metrics in
 * the Prometheus text format. Route labels are templates, so ids (and personal data) in URLs
 * never become label values; requests that matched no route share the label `unmatched`.
 */
async function metricsPlugin(app: FastifyInstance, options: MetricsPluginOptions): Promise<void> {
  const { metrics } = options;
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    // Fastify's own clock from the moment the request arrived: requests refused by an earlier
    // hook (401 from auth) are timed too.
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });

  if (options.access === 'off') return;
  const expected = options.token ? digest(options.token) : null;

  async function allowed(request: FastifyRequest): Promise<void> {
    if (options.access === 'public') return;
    const header = request.headers.authorization;
    if (!header) throw new UnauthenticatedError();
    const presented = header.startsWith('Bearer ') ? header.slice(7) : '';
    // Compared as digests: equal lengths, constant time.
    if (expected && timingSafeEqual(digest(presented), expected)) return;
    let payload: { role?: unknown };
    try {
      payload = await request.jwtVerify();
    } catch {
      throw new UnauthenticatedError('the bearer token is neither METRICS_TOKEN nor a valid token');
    }
    if (payload.role !== 'admin') throw new ForbiddenError('metrics are for admins and the metrics scraper');
  }

  app.get(
    '/metrics',
    // Public to the JWT hook: the scraper's static token is checked here instead.
    { config: { public: true }, schema: { tags: ['ops'], summary: 'Prometheus metrics (METRICS_TOKEN or an admin token; see README "Monitoring")' } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      await allowed(request);
      const body = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(body);
    },
  );
}

export default fp(metricsPlugin, { name: 'metrics', dependencies: ['auth'] });
