import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * One access-log line per request, naming who acted (token subject and role) — fastify's own
 * request logging is off because it knows nothing of the actor. The logger's serializers keep
 * headers and query values out; its stream hook redacts ID and phone patterns.
 */
async function accessLog(app: FastifyInstance): Promise<void> {
  app.addHook('onResponse', async (request, reply) => {
    const actor = request.actor ? { sub: request.actor.id, role: request.actor.role } : null;
    request.log.info({ req: request, res: reply, responseTime: Math.round(reply.elapsedTime), actor }, 'request completed');
  });
}

export default fp(accessLog, { name: 'access-log' });
