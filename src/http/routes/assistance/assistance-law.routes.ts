import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createHash } from 'node:crypto';
import type { AssistanceLawServices } from '../../../application/assistance/assistance-law.module';
import type { Clock } from '../../../application/clock';
import { BadRequestError } from '../../../application/errors';
import { XLSX_MEDIA_TYPE } from '../../../application/imports/spreadsheet-input';
import { CaseProcedurePolicySchema } from '../../../domain/assistance/case-procedure-policy';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { answerWritten, readerOf } from '../../route-helpers';
import { IdParamsSchema, NoContent, PreferHeaders } from '../../schemas';
import { CaseSchema } from './cases.schemas';

const Day = z.iso.date();
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

export interface AssistanceLawRouteOptions {
  law: AssistanceLawServices;
  clock: Clock;
}

/**
 * An uploaded roll. Its only enumerable fields are the format and the file's hash, so the
 * Idempotency-Key hash of the request covers the file without walking its bytes.
 */
class RollUpload {
  readonly #bytes: Buffer;
  readonly sha256: string;
  constructor(
    readonly format: 'csv' | 'xlsx',
    bytes: Buffer,
  ) {
    this.#bytes = bytes;
    this.sha256 = createHash('sha256').update(bytes).digest('hex');
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
}
const XLSX = XLSX_MEDIA_TYPE;
const ROLL_LIMIT_BYTES = 32 * 1024 * 1024;

/** Submit → check → confirm, payments paid once, the officials who confirm, and who confirms what. */
export const assistanceLawRoutes: FastifyPluginAsyncZod<AssistanceLawRouteOptions> = async (app, { law, clock }) => {
  const reader = readerOf(clock);
  const ctx = (request: FastifyRequest) => commandContext(request, clock);
  // Within this plugin only: CSV and xlsx bodies arrive as bytes (a roll of ~20,000 households runs to megabytes).
  app.removeContentTypeParser(['text/csv', 'application/csv', XLSX]);
  app.addContentTypeParser(['text/csv', 'application/csv', XLSX], { parseAs: 'buffer', bodyLimit: ROLL_LIMIT_BYTES }, (request, body, done) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    done(null, new RollUpload(type === XLSX ? 'xlsx' : 'csv', body as Buffer));
  });

  app.post(
    '/api/v1/assistance/legacy-imports',
    {
      bodyLimit: ROLL_LIMIT_BYTES,
      schema: {
        tags: ['assistance'],
        summary:
          'Going live: import the existing roll (admin; text/csv in UTF-8, UTF-16 or GBK, or xlsx, recognised by its bytes). Columns group_code, recipient_name, recipient_id_number, program, decision_date, monthly_yuan [, applied_on, persons, class, care_grade, income_stability, paid_from, paid_through]. Every row is applied or rejected with reasons; importing the same rows again changes nothing.',
        querystring: z.object({ reason: z.string().trim().min(4).max(500) }),
        response: {
          200: z.object({
            importId: z.string(),
            fileSha256: z.string(),
            reason: z.string(),
            rows: z.number().int(),
            applied: z.number().int(),
            unchanged: z.number().int(),
            rejected: z.array(z.object({ row: z.number().int(), reasons: z.array(z.string()) })),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const body: unknown = request.body;
      if (!(body instanceof RollUpload)) throw new BadRequestError(`请以 text/csv 或 xlsx（${XLSX}）上传花名册`, 'body');
      return law.legacyImport.import(ctx(request), { format: body.format, body: body.bytes, reason: request.query.reason });
    },
  );

  app.post(
    '/api/v1/cases/:id/submit',
    {
      schema: {
        tags: ['assistance'],
        summary: "报送: the town's social worker submits the prepared case to the county (after the notice ended without objection)",
        params: IdParamsSchema,
        headers: PreferHeaders,
        body: z.object({}).optional(),
        response: { 200: CaseSchema, 204: NoContent, ...problemResponses },
      },
    },
    async (request, reply) => {
      const context = ctx(request);
      return answerWritten(request, reply, await law.cases.submit(context, request.params.id), () => law.cases.get(context, request.params.id));
    },
  );
  app.post(
    '/api/v1/cases/:id/check',
    {
      schema: {
        tags: ['assistance'],
        summary: '审核把关: the linked county worker forwards the submission to the confirming authority, or returns it to the town with reasons',
        params: IdParamsSchema,
        headers: PreferHeaders,
        body: z.discriminatedUnion('result', [
          z.object({ result: z.literal('forward'), reasons: z.string().max(5000).optional() }),
          z.object({ result: z.literal('return'), reasons: z.string().trim().min(1).max(5000) }),
        ]),
        response: { 200: CaseSchema, 204: NoContent, ...problemResponses },
      },
    },
    async (request, reply) => {
      const context = ctx(request);
      return answerWritten(request, reply, await law.cases.check(context, request.params.id, request.body), () => law.cases.get(context, request.params.id));
    },
  );
  app.post(
    '/api/v1/cases/:id/payments',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Record a payment: a month of the amount in force (month) or the one-off grant (no month); refused when already paid or above the decision',
        params: IdParamsSchema,
        headers: PreferHeaders,
        body: z.object({ month: Month.optional(), fen: z.int().positive().max(100_000_000).optional(), paidOn: Day.optional() }),
        response: { 200: CaseSchema, 204: NoContent, ...problemResponses },
      },
    },
    async (request, reply) => {
      const context = ctx(request);
      const written = await law.cases.recordPayment(context, request.params.id, request.body);
      return answerWritten(request, reply, written, () => law.cases.get(context, request.params.id));
    },
  );
  app.get(
    '/api/v1/cases/:id/payments',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Payments made on a case',
        params: IdParamsSchema,
        response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }), ...problemResponses },
      },
    },
    async (request) => law.cases.payments(reader(request), request.params.id),
  );

  // ── Who confirms what ──────────────────────────────────────────────────────
  app.get(
    '/api/v1/case-procedure-policies',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Case-procedure policy versions: which authority confirms which program up to which amount; the back-dating window',
        response: { 200: z.object({ items: z.array(CaseProcedurePolicySchema) }), ...problemResponses },
      },
    },
    async () => ({ items: await law.procedure.versions() }),
  );
  app.post(
    '/api/v1/case-procedure-policies',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Add a case-procedure policy version (admin)',
        body: CaseProcedurePolicySchema.omit({ version: true }),
        response: { 201: CaseProcedurePolicySchema, ...problemResponses },
      },
    },
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
        body: z.object({
          name: z.string().trim().min(1).max(50),
          role: z.enum(['civil_affairs_officer', 'town_official']),
          townId: z.string().uuid().nullable().optional(),
          from: Day,
        }),
        response: { 201: Official, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await law.officials.appoint(ctx(request), request.body)),
  );
  app.get(
    '/api/v1/officials',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Officials and their appointments',
        response: { 200: z.object({ items: z.array(Official) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: await law.officials.list(reader(request)),
    }),
  );
  app.post(
    '/api/v1/officials/:id/end',
    {
      schema: {
        tags: ['assistance'],
        summary: 'End an appointment (admin)',
        params: IdParamsSchema,
        body: z.object({ to: Day }),
        response: { 200: Official, ...problemResponses },
      },
    },
    async (request) => law.officials.end(ctx(request), request.params.id, request.body.to),
  );
};
