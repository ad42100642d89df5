import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { HouseholdsService } from '../../../application/households/households.service';
import { BATCH_COUNTS, ItemKeySchema, MAX_ITEMS_PER_BATCH, batchAnswer, itemCommandId, itemOutcomeSchema, refuseRepeatedKeys } from '../../batch-items';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { RegisterHouseholdBody, Uuid } from './households.schemas';

const BatchBody = z
  .object({
    households: z
      .array(RegisterHouseholdBody.extend({ key: ItemKeySchema }))
      .min(1)
      .max(MAX_ITEMS_PER_BATCH)
      .describe(`要登记的家庭，1–${MAX_ITEMS_PER_BATCH} 户 / the households to register`),
  })
  .superRefine(refuseRepeatedKeys('households'));

const RegisteredHousehold = z.object({
  householdId: Uuid.describe('家庭 ID / the household’s id'),
  personIds: z.array(Uuid).describe('成员的人员 ID，与请求中成员顺序相同 / the members’ person ids, in the order sent'),
  replayed: z.boolean().describe('此键此前已登记过，本次未重复登记 / this key was registered before; nothing was registered again'),
});

/**
 * Households registered together (家庭批量登记): a station entering the households of a paper survey
 * (入户调查) at once. Each is checked and registered as POST /households would; one refused household
 * does not hold back the others. The answer names ids only, so no personal data is read back (and
 * none logged as read): GET /households/{id} shows a household as its reader may see it.
 */
export const householdBatchRoutes: FastifyPluginAsyncZod<{ households: HouseholdsService; clock: Clock }> = async (app, { households, clock }) => {
  app.post(
    '/api/v1/households/batch',
    {
      schema: {
        tags: ['households'],
        summary: 'Register many households at once (家庭批量登记): each registered or refused on its own, keyed against double registration',
        description:
          '每户与 POST /households 同样校验、同样登记；一户被拒不影响其他各户；同一批中同一身份证号出现在两户，后一户按“已在其他家庭”拒绝。答复 200，按请求顺序逐户给出结果（status 201 与家庭 ID、成员人员 ID，或 4xx 与问题详情）。同一用户以同一 key 重发：已登记的返回原结果（replayed: true），成员不同则该户 422 idempotency-key-reused。',
        body: BatchBody,
        response: { 200: z.object({ ...BATCH_COUNTS, items: z.array(itemOutcomeSchema('household', RegisteredHousehold)) }), ...problemResponses },
      },
    },
    async (request) => {
      const base = commandContext(request, clock);
      const items = request.body.households.map(({ key, ...input }) => ({
        context: { ...base, commandId: itemCommandId('household', request.actor, key) },
        input,
      }));
      return batchAnswer(
        request,
        request.body.households.map((h) => h.key),
        'household',
        await households.registerMany(items),
      );
    },
  );
};
