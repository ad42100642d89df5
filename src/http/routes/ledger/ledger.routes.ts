import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { LedgerService } from '../../../application/ledger/ledger.service';
import { TreeHeadSchema } from '../../../application/ledger/tree-head';
import { BadRequestError } from '../../../application/errors';
import { problemResponses } from '../../problem';
import { PageQuerySchema, pageOf } from '../../schemas';

const Hex = z.string().regex(/^[0-9a-f]{64}$/);
const Size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Leaf = z.object({ eventId: z.string(), streamId: z.string(), version: z.number().int(), eventHash: z.string() });

const InclusionSchema = z
  .object({
    leafIndex: z.number().int(),
    treeSize: z.number().int(),
    event: Leaf,
    leafHash: Hex,
    auditPath: z.array(Hex),
    rootHash: Hex,
    head: TreeHeadSchema.nullable(),
  })
  .meta({ id: 'InclusionProof' });
const ConsistencySchema = z
  .object({
    first: z.number().int(),
    second: z.number().int(),
    firstRootHash: Hex,
    secondRootHash: Hex,
    proof: z.array(Hex),
    firstHead: TreeHeadSchema.nullable(),
    secondHead: TreeHeadSchema.nullable(),
  })
  .meta({ id: 'ConsistencyProof' });
const AuditReportSchema = z
  .object({
    ok: z.boolean(),
    hashFormat: z.number().int(),
    keptHead: z
      .object({ treeSize: z.number().int(), rootHash: z.string(), signatureValid: z.boolean(), recomputedRoot: z.string().nullable(), extended: z.boolean() })
      .nullable(),
    logSize: z.number().int(),
    sealedSize: z.number().int(),
    unsealedEvents: z.number().int(),
    firstDifferingLeaf: z
      .object({ index: z.number().int(), exact: z.boolean(), before: z.number().int().optional(), sealed: Leaf.nullable(), log: Leaf.nullable() })
      .nullable(),
    storedHeads: z.object({ checked: z.number().int(), invalid: z.array(z.object({ treeSize: z.number().int(), reason: z.string() })) }),
    chains: z.object({
      streamsChecked: z.number().int(),
      eventsChecked: z.number().int(),
      broken: z.array(z.object({ streamId: z.string(), version: z.number().int(), eventId: z.string().nullable(), reason: z.string() })),
    }),
    streamsWithoutRow: z.array(z.string()),
    problems: z.array(z.string()),
  })
  .meta({ id: 'LedgerAuditReport' });

/** The ledger for auditors (auditor and admin): heads, proofs, verification against a kept head. */
export const ledgerRoutes: FastifyPluginAsyncZod<{ ledger: LedgerService }> = async (app, { ledger }) => {
  const tags = ['audit', 'ledger'];

  app.get(
    '/api/v1/audit/ledger/public-key',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The Ed25519 public key that signs tree heads (public: auditors pin it)',
        response: { 200: z.object({ algorithm: z.literal('Ed25519'), keyId: Hex, publicKeyPem: z.string() }) },
      },
    },
    async () => ledger.publicKey(),
  );

  app.get(
    '/api/v1/audit/ledger/heads/latest',
    { schema: { tags, summary: 'The latest signed tree head', response: { 200: TreeHeadSchema, ...problemResponses } } },
    async (request) => ledger.latestHead(request.actor),
  );

  app.get(
    '/api/v1/audit/ledger/heads',
    {
      schema: {
        tags,
        summary: 'Signed tree heads by time (from inclusive, to exclusive), oldest first',
        querystring: PageQuerySchema.extend({ from: z.string().datetime({ offset: true }).optional(), to: z.string().datetime({ offset: true }).optional() }),
        response: { 200: pageOf(TreeHeadSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { from, to, limit, cursor } = request.query;
      if (cursor !== undefined && !/^\d{1,15}$/.test(cursor)) throw new BadRequestError('cursor 无效', 'cursor');
      return ledger.heads(request.actor, { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(cursor ? { after: Number(cursor) } : {}), limit });
    },
  );

  app.get(
    '/api/v1/audit/ledger/heads/daily',
    {
      schema: {
        tags,
        summary: "The day's signed tree heads as a JSON Lines file (county day, Asia/Shanghai), for the bureau to hand to its auditors",
        querystring: z.object({ date: z.iso.date() }),
        // The file itself is JSON Lines (not serialised by this schema); refusals are problems.
        response: { 200: z.string().describe('application/x-ndjson'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const heads = ledger.dailyHeads(request.actor, request.query.date);
      // Pull the first head before answering, so a refusal is a problem response, not a cut stream.
      const first = await heads.next();
      async function* lines() {
        if (!first.done) yield JSON.stringify(first.value) + '\n';
        for await (const head of heads) yield JSON.stringify(head) + '\n';
      }
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="tree-heads-${request.query.date}.jsonl"`)
        .send(Readable.from(lines()) as never);
    },
  );

  app.get(
    '/api/v1/audit/ledger/proofs/inclusion',
    {
      schema: {
        tags,
        summary: 'Inclusion proof (RFC 9162) of an event, or of the event that recorded a decision, in the tree of treeSize leaves (default: the latest head)',
        querystring: z
          .object({ event: z.string().uuid().optional(), decision: z.string().uuid().optional(), treeSize: Size.optional() })
          .refine((q) => (q.event ? 1 : 0) + (q.decision ? 1 : 0) === 1, { message: 'exactly one of event or decision', path: ['event'] }),
        response: { 200: InclusionSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { event, decision, treeSize } = request.query;
      return ledger.inclusion(request.actor, {
        ...(event ? { eventId: event } : {}),
        ...(decision ? { decisionId: decision } : {}),
        ...(treeSize !== undefined ? { treeSize } : {}),
      });
    },
  );

  app.get(
    '/api/v1/audit/ledger/proofs/consistency',
    {
      schema: {
        tags,
        summary: 'Consistency proof (RFC 9162) that the tree of `first` leaves is a prefix of the tree of `second` (default: the latest head)',
        querystring: z.object({ first: Size, second: Size.optional() }),
        response: { 200: ConsistencySchema, ...problemResponses },
      },
    },
    async (request) => ledger.consistency(request.actor, request.query.first, request.query.second),
  );

  app.post(
    '/api/v1/audit/ledger/verify',
    {
      schema: {
        tags,
        summary: 'Check that the log still extends a signed tree head the auditor kept (the head as JSON body); names the first leaf that differs',
        body: TreeHeadSchema,
        response: { 200: AuditReportSchema, ...problemResponses },
      },
    },
    async (request) => ledger.verify(request.actor, request.body),
  );
};
