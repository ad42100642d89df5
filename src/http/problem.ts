import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { languageOf, problemTitle, type ProblemSlug } from './messages';

/**
 * RFC 9457 problem details. `type` is stable per kind of problem; clients switch on it, never
 * on `title` or `detail`.
 */
export const PROBLEM_BASE = '/problems/';

export const ProblemSchema = z
  .object({
    type: z.string().describe('问题类型，稳定的 URI（/problems/<slug>、/problems/rule/<规则 ID>），客户端据此判断 / stable problem type URI; switch on this'),
    title: z.string().describe('问题类型的标题，按 Accept-Language 为中文（默认）或英文 / title of the problem type, zh-CN by default, en on request'),
    status: z.number().int().describe('HTTP 状态码 / HTTP status code'),
    detail: z.string().optional().describe('本次问题的具体说明 / what went wrong this time'),
    instance: z.string().optional().describe('出问题的请求路径 / the request path'),
    requestId: z.string().optional().describe('请求 ID，反馈问题时请提供 / request id; quote it when reporting'),
    errors: z
      .array(
        z.object({
          path: z.string().describe('出错字段的位置，如 body.members.0.relation / where the invalid field is'),
          message: z.string().describe('该字段的错误说明 / what is wrong with the field'),
        }),
      )
      .optional()
      .describe('逐个字段的错误（400 validation）/ field-by-field errors'),
    rule: z.string().optional().describe('被违反的业务规则 ID（422）/ id of the business rule that was broken'),
    currentVersion: z.number().int().optional().describe('资源的当前版本，用于 If-Match（409/412）/ the current version, for If-Match'),
  })
  .catchall(z.unknown())
  .describe('RFC 9457 问题详情（application/problem+json）/ RFC 9457 problem details')
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof ProblemSchema>;

/** A problem of a catalogued type; its title comes from the message catalogue (messages.ts). */
export function problem(slug: ProblemSlug, status: number, extra: Omit<Partial<Problem>, 'type' | 'status' | 'title'> = {}): Problem {
  // The problem's own fields come last: no extra member (a rule's details) can override them.
  return { ...extra, type: `${PROBLEM_BASE}${slug}`, title: problemTitle(slug, 'zh') ?? slug, status };
}

/** Members a problem defines itself; rule details carrying these names are dropped, not merged. */
export const RESERVED_PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'requestId', 'errors', 'rule', 'currentVersion']);

export function withoutReservedMembers(details: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details ?? {}).filter(([key]) => !RESERVED_PROBLEM_MEMBERS.has(key)));
}

/** Sends a problem with its title in the language Accept-Language asks for (zh-CN by default). */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, body: Problem): FastifyReply {
  const language = languageOf(request);
  const title = problemTitle(body.type.slice(PROBLEM_BASE.length), language) ?? body.title;
  return reply
    .status(body.status)
    .type('application/problem+json')
    .header('Content-Language', language === 'en' ? 'en' : 'zh-CN')
    .header('Vary', 'Accept-Language')
    .send({ ...body, title, instance: body.instance ?? request.url, requestId: request.id });
}

/** Standard error responses for route schemas (OpenAPI). */
export const problemResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  412: ProblemSchema,
  422: ProblemSchema,
} as const;
