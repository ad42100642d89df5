import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import { deterministicUuid } from '../../../application/ids';
import type { VisitsService } from '../../../application/visits/visits.service';
import { problemOfItem } from '../../batch-problems';
import { commandContext } from '../../command-context';
import { ProblemSchema, problemResponses } from '../../problem';
import { RecordVisitFields, RecordedVisitSchema } from './visits.schemas';

/** The most visits one sync may carry: a worker's fortnight away from signal, and a body well under the body limit. */
export const MAX_VISITS_PER_BATCH = 500;

const ItemKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,100}$/, { message: '1–100 visible ASCII characters' })
  .describe(
    '客户端为这条走访生成的唯一键（如 App 本地记录的 UUID）：同一键重发不会重复记录 / the client’s key for this visit; resent, it records nothing twice',
  );

const BatchItem = RecordVisitFields.extend({ key: ItemKey }).refine((b) => !!b.householdId !== !!b.groupId, {
  message: 'give exactly one of householdId or groupId',
  path: ['householdId'],
});

const BatchBody = z
  .object({
    visits: z.array(BatchItem).min(1).max(MAX_VISITS_PER_BATCH).describe(`要同步的走访，1–${MAX_VISITS_PER_BATCH} 条 / the visits to sync`),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.visits.forEach((visit, i) => {
      if (seen.has(visit.key)) ctx.addIssue({ code: 'custom', message: 'each visit of a batch needs its own key', path: ['visits', i, 'key'] });
      seen.add(visit.key);
    });
  });

const ItemOutcome = z.object({
  key: z.string().describe('请求中这条走访的键 / the item’s key'),
  status: z.number().int().describe('这条走访单独提交时的 HTTP 状态：201 已记录，4xx 被拒绝 / the status the visit alone would have got'),
  visit: RecordedVisitSchema.extend({
    replayed: z.boolean().describe('此键此前已记录过，本次未重复记录 / this key was recorded before; nothing was recorded again'),
  })
    .optional()
    .describe('已记录的走访（201）/ the visit recorded'),
  problem: ProblemSchema.optional().describe('被拒绝的原因（4xx），与单条提交的问题详情相同 / why it was refused, as the single request would say'),
});

/**
 * Visits recorded offline and synced at once (走访批量同步): a field worker's app keeps the visits of
 * villages without signal and sends them when back in range. Each visit is checked and recorded as
 * POST /visits would; one refused visit does not hold back the others. Each carries a key of the
 * app's: the key names the command, so a sync resent after a lost answer records nothing twice.
 */
export const visitBatchRoutes: FastifyPluginAsyncZod<{ visits: VisitsService; clock: Clock }> = async (app, { visits, clock }) => {
  app.post(
    '/api/v1/visits/batch',
    {
      schema: {
        tags: ['visits'],
        summary: 'Sync visits recorded offline (走访批量同步): each recorded or refused on its own, keyed against double recording',
        description:
          '每条走访与 POST /visits 同样校验、同样记录；一条被拒不影响其他各条。答复 200，按请求顺序逐条给出结果（status 201 与走访，或 4xx 与问题详情）。同一用户以同一 key 重发：已记录的返回原结果（replayed: true），内容不同则该条 422 idempotency-key-reused。',
        body: BatchBody,
        response: {
          200: z.object({
            recorded: z.number().int().describe('本次新记录的条数 / visits recorded by this request'),
            replayed: z.number().int().describe('此前已记录、本次原样返回的条数 / visits recorded before, answered again'),
            refused: z.number().int().describe('被拒绝的条数 / visits refused'),
            items: z.array(ItemOutcome),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const base = commandContext(request, clock);
      const { id: principal, role } = request.actor;
      const items = request.body.visits.map(({ key, ...input }) => ({
        // The key names the command (and so the visit's stream and event ids): a resent key meets its own visit.
        context: { ...base, commandId: deterministicUuid(`visit-batch:${principal}:${role}:${key}`) },
        input,
      }));
      const outcomes = await visits.recordVisits(items);
      const answered = outcomes.map((outcome, i) => {
        const key = request.body.visits[i]!.key;
        if (outcome.ok) return { key, status: 201, visit: outcome.value };
        const problem = problemOfItem(request, outcome.error);
        return { key, status: problem.status, problem };
      });
      const recorded = answered.filter((a) => a.visit && !a.visit.replayed).length;
      const replayed = answered.filter((a) => a.visit?.replayed).length;
      return { recorded, replayed, refused: answered.length - recorded - replayed, items: answered };
    },
  );
};
