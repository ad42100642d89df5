import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AssistanceLaw } from '../../../application/assistance/assistance-law.module';
import type { CasesService } from '../../../application/assistance/cases.service';
import type { Clock } from '../../../application/clock';
import { CaseProcedurePolicySchema } from '../../../domain/assistance/case-procedure-policy';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { readerOf, sendVersioned } from '../../route-helpers';
import { IdParamsSchema } from '../../schemas';
import { CaseSchema } from './assistance.routes';

const Day = z.iso.date();
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

export interface AssistanceLawRouteOptions {
  law: AssistanceLaw & { cases: CasesService };
  clock: Clock;
}

/** Submit → check → confirm, payments paid once, the officials who confirm, and who confirms what. */
export const assistanceLawRoutes: FastifyPluginAsyncZod<AssistanceLawRouteOptions> = async (app, { law, clock }) => {
  const reader = readerOf(clock);
  const ctx = (request: any) => commandContext(request, clock);

  app.post(
    '/api/v1/cases/:id/submit',
    { schema: { tags: ['assistance'], summary: "报送: the town's social worker submits the prepared case to the county (after the notice ended without objection)", params: IdParamsSchema, body: z.object({}).optional(), response: { 200: CaseSchema, ...problemResponses } } },
    async (request, reply) => sendVersioned(reply, await law.cases.submit(ctx(request), request.params.id)),
  );
  app.post(
    '/api/v1/cases/:id/check',
    {
      schema: {
        tags: ['assistance'],
        summary: '审核把关: the linked county worker forwards the submission to the confirming authority, or returns it to the town with reasons',
        params: IdParamsSchema,
        body: z.discriminatedUnion('result', [z.object({ result: z.literal('forward'), reasons: z.string().max(5000).optional() }), z.object({ result: z.literal('return'), reasons: z.string().trim().min(1).max(5000) })]),
        response: { 200: CaseSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await law.cases.check(ctx(request), request.params.id, request.body)),
  );
  app.post(
    '/api/v1/cases/:id/payments',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Record a payment: a month of the amount in force (month) or the one-off grant (no month); refused when already paid or above the decision',
        params: IdParamsSchema,
        body: z.object({ month: Month.optional(), fen: z.int().positive().max(100_000_000).optional(), paidOn: Day.optional() }),
        response: { 200: CaseSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await law.cases.recordPayment(ctx(request), request.params.id, request.body)),
  );
  app.get(
    '/api/v1/cases/:id/payments',
    { schema: { tags: ['assistance'], summary: 'Payments made on a case', params: IdParamsSchema, response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }), ...problemResponses } } },
    async (request) => law.cases.payments(reader(request), request.params.id),
  );

  // ── Who confirms what ──────────────────────────────────────────────────────
  app.get(
    '/api/v1/case-procedure-policies',
    { schema: { tags: ['assistance'], summary: 'Case-procedure policy versions: which authority confirms which program up to which amount; the back-dating window', response: { 200: z.object({ items: z.array(CaseProcedurePolicySchema) }), ...problemResponses } } },
    async () => ({ items: await law.procedure.versions() }),
  );
  app.post(
    '/api/v1/case-procedure-policies',
    { schema: { tags: ['assistance'], summary: 'Add a case-procedure policy version (admin)', body: CaseProcedurePolicySchema.omit({ version: true }), response: { 201: CaseProcedurePolicySchema, ...problemResponses } } },
    async (request, reply) => reply.status(201).send(await law.procedure.add(ctx(request), request.body)),
  );

  // ── Officials ──────────────────────────────────────────────────────────────
  const Official = z.object({ id: z.string(), name: z.string(), role: z.string(), townId: z.string().nullable(), from: z.string(), to: z.string().nullable() });
  app.post(
    '/api/v1/officials',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Register an official who confirms: a bureau officer (county) or a town-government officer (one town) (admin)',
        body: z.object({ name: z.string().trim().min(1).max(50), role: z.enum(['civil_affairs_officer', 'town_official']), townId: z.string().uuid().nullable().optional(), from: Day }),
        response: { 201: Official, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await law.officials.appoint(ctx(request), request.body)),
  );
  app.get('/api/v1/officials', { schema: { tags: ['assistance'], summary: 'Officials and their appointments', response: { 200: z.object({ items: z.array(Official) }), ...problemResponses } } }, async (request) => ({
    items: await law.officials.list(reader(request)),
  }));
  app.post(
    '/api/v1/officials/:id/end',
    { schema: { tags: ['assistance'], summary: 'End an appointment (admin)', params: IdParamsSchema, body: z.object({ to: Day }), response: { 200: Official, ...problemResponses } } },
    async (request) => law.officials.end(ctx(request), request.params.id, request.body.to),
  );
};
