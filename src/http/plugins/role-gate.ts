import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ROLES, type Role } from '../../application/actor';
import { ForbiddenError } from '../../application/errors';
import { rolesAllowedOn } from '../route-roles';

/**
 * Role before body: right after authentication (onRequest, before the body is even parsed), a
 * caller whose role may never use the route gets 403 — a worker posting `{}` to /assessments
 * learns nothing about its schema. Jurisdiction stays the service's business.
 */
async function roleGate(app: FastifyInstance): Promise<void> {
  const cache = new Map<string, readonly Role[] | null>();
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    if (!request.actor || !route) return;
    const key = `${request.method} ${route}`;
    let allowed = cache.get(key);
    if (allowed === undefined) {
      allowed = rolesAllowedOn(request.method, route, ROLES);
      cache.set(key, allowed);
    }
    if (allowed && !(allowed as string[]).includes(request.actor.role)) {
      throw new ForbiddenError(`角色 ${request.actor.role} 无权使用 ${request.method} ${route}`);
    }
  });
}

export default fp(roleGate, { name: 'role-gate', dependencies: ['auth'] });
