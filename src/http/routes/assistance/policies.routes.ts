import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PolicyRegistryService } from '../../../application/assistance/policy-registry.service';
import type { Clock } from '../../../application/clock';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { OpenObject } from './assistance.schemas';
import { CountyQuery } from './policies.schemas';

/**
 * The rule data decisions run on: assistance policy versions and working-day calendars, both
 * added by an admin with an effective date and never changed.
 */
export const policyRoutes: FastifyPluginAsyncZod<{ registry: PolicyRegistryService; clock: Clock }> = async (app, { registry, clock }) => {
  app.post(
    '/api/v1/policies',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Add an assistance policy version with an effective date (admin; immutable)',
        body: OpenObject,
        response: { 201: OpenObject, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await registry.addPolicy(commandContext(request, clock), request.body)),
  );
  app.get(
    '/api/v1/policies',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Policy versions with their content hash',
        querystring: CountyQuery,
        response: { 200: z.object({ items: z.array(OpenObject) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await registry.listPolicies(request.query.county) }),
  );
  app.post(
    '/api/v1/calendars',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Add a working-day calendar (holidays, 调休 working weekend days; admin; immutable)',
        body: OpenObject,
        response: { 201: OpenObject, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await registry.addCalendar(commandContext(request, clock), request.body)),
  );
  app.get(
    '/api/v1/calendars',
    { schema: { tags: ['assistance'], summary: 'Working-day calendars', response: { 200: z.object({ items: z.array(OpenObject) }), ...problemResponses } } },
    async () => ({ items: await registry.listCalendars() }),
  );
};
