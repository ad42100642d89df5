import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { VisitsService } from '../../../application/visits/visits.service';
import { BATCH_COUNTS, ItemKeySchema, MAX_ITEMS_PER_BATCH, batchAnswer, itemCommandId, itemOutcomeSchema, refuseRepeatedKeys } from '../../batch-items';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { RecordVisitFields, RecordedVisitSchema } from './visits.schemas';

const BatchItem = RecordVisitFields.extend({ key: ItemKeySchema }).refine((b) => !!b.householdId !== !!b.groupId, {
  message: 'give exactly one of householdId or groupId',
  path: ['householdId'],
});

const BatchBody = z
  .object({ visits: z.array(BatchItem).min(1).max(MAX_ITEMS_PER_BATCH).describe(`要同步的走访，1–${MAX_ITEMS_PER_BATCH} 条 / the visits to sync`) })
  .superRefine(refuseRepeatedKeys('visits'));

const SyncedVisit = RecordedVisitSchema.extend({
  replayed: z.boolean().describe('此键此前已记录过，本次未重复记录 / this key was recorded before; nothing was recorded again'),
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
        response: { 200: z.object({ ...BATCH_COUNTS, items: z.array(itemOutcomeSchema('visit', SyncedVisit)) }), ...problemResponses },
      },
    },
    async (request) => {
      const base = commandContext(request, clock);
      const items = request.body.visits.map(({ key, ...input }) => ({ context: { ...base, commandId: itemCommandId('visit', request.actor, key) }, input }));
      // Each visit its own statement: many apps syncing at once wait on no batch's transaction.
      const outcomes = await visits.recordVisits(items, { append: 'each' });
      return batchAnswer(
        request,
        request.body.visits.map((v) => v.key),
        'visit',
        outcomes,
      );
    },
  );
};
