import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../application/actor';
import { deterministicUuid } from '../application/ids';
import { maskProblemDetails } from '../application/privacy/problem-masking';
import { toProblem } from './error-handler';
import { languageOf, problemTitle } from './messages';
import { PROBLEM_BASE, ProblemSchema, type Problem } from './problem';

/**
 * The pieces every batch write shares (POST /visits/batch, POST /households/batch): each item
 * carries a key of the client's, checked and recorded as its single request would be, and answered
 * on its own — its result, or the problem its single request would have met.
 */

/** The most items one batch may carry: a worker's fortnight of visits, a village's survey; a body well under the body limit. */
export const MAX_ITEMS_PER_BATCH = 500;

export const ItemKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,100}$/, { message: '1–100 visible ASCII characters' })
  .describe('客户端为这一条生成的唯一键（如 App 本地记录的 UUID）：同一键重发不会重复记录 / the client’s key for this item; resent, it records nothing twice');

/** A batch body's refinement: each of its items under `field` with a key of its own. */
export function refuseRepeatedKeys(field: string) {
  return (body: Record<string, { key: string }[]>, ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    body[field]!.forEach((entry, i) => {
      if (seen.has(entry.key)) ctx.addIssue({ code: 'custom', message: 'each item of a batch needs its own key', path: [field, i, 'key'] });
      seen.add(entry.key);
    });
  };
}

/**
 * The command id of an item: named by the caller and the key, so that the item resent (a sync
 * whose answer was lost) meets its own command in the log and records nothing twice, and no other
 * caller's key can reach it.
 */
export function itemCommandId(kind: string, actor: Actor, key: string): string {
  return deterministicUuid(`${kind}-batch:${actor.id}:${actor.role}:${key}`);
}

/** An item's answer: the status its single request would have got, and its result or its problem. */
export function itemOutcomeSchema<T extends z.ZodType>(name: string, result: T) {
  return z.object({
    key: z.string().describe('请求中这一条的键 / the item’s key'),
    status: z.number().int().describe('这一条单独提交时的 HTTP 状态：201 已记录，4xx 被拒绝 / the status the item alone would have got'),
    [name]: result.optional().describe('已记录的结果（201）/ what was recorded'),
    problem: ProblemSchema.optional().describe('被拒绝的原因（4xx），与单条提交的问题详情相同 / why it was refused, as the single request would say'),
  });
}

/** The counts of a batch's answer. */
export const BATCH_COUNTS = {
  recorded: z.number().int().describe('本次新记录的条数 / items recorded by this request'),
  replayed: z.number().int().describe('此前已记录、本次原样返回的条数 / items recorded before, answered again'),
  refused: z.number().int().describe('被拒绝的条数 / items refused'),
};

/** A batch's answer from its items' outcomes, in the order sent. */
export function batchAnswer<V extends { replayed: boolean }, N extends string>(
  request: FastifyRequest,
  keys: readonly string[],
  name: N,
  outcomes: readonly ({ ok: true; value: V } | { ok: false; error: unknown })[],
) {
  const items = outcomes.map((outcome, i) => {
    const key = keys[i]!;
    if (outcome.ok) return { key, status: 201, [name]: outcome.value } as { key: string; status: number; problem?: Problem } & Record<N, V>;
    const problem = problemOfItem(request, outcome.error);
    return { key, status: problem.status, problem } as { key: string; status: number; problem?: Problem } & Partial<Record<N, V>>;
  });
  const recorded = outcomes.filter((o) => o.ok && !o.value.replayed).length;
  const replayed = outcomes.filter((o) => o.ok && o.value.replayed).length;
  return { recorded, replayed, refused: outcomes.length - recorded - replayed, items };
}

/**
 * The problem a refused item answers with: what the single request would have answered (type,
 * status, Chinese title and detail by Accept-Language, masked as every problem is). An error that
 * is no problem (a fault of ours) is thrown on, so the whole request answers 500 and is logged;
 * the items recorded answer again when the caller resends with the same keys.
 */
export function problemOfItem(request: FastifyRequest, error: unknown): Problem {
  const language = languageOf(request);
  const mapped = toProblem(error, language);
  if (!mapped) throw error;
  const title = problemTitle(mapped.type.slice(PROBLEM_BASE.length), language) ?? mapped.title;
  return maskProblemDetails({ ...mapped, title });
}
