import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * RFC 9457 problem details. `type` is stable per kind of problem; clients switch on it, never
 * on `title` or `detail`.
 */
export const PROBLEM_BASE = '/problems/';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    rule: z.string().optional(),
    currentVersion: z.number().int().optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof ProblemSchema>;

export function problem(slug: string, status: number, title: string, extra: Omit<Partial<Problem>, 'type' | 'status' | 'title'> = {}): Problem {
  // The problem's own fields come last: no extra member (a rule's details) can override them.
  return { ...extra, type: `${PROBLEM_BASE}${slug}`, title, status };
}

/** Members a problem defines itself; rule details carrying these names are dropped, not merged. */
export const RESERVED_PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'requestId', 'errors', 'rule', 'currentVersion']);

export function withoutReservedMembers(details: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details ?? {}).filter(([key]) => !RESERVED_PROBLEM_MEMBERS.has(key)));
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, body: Problem): FastifyReply {
  return reply
    .status(body.status)
    .type('application/problem+json')
    .send({ ...body, instance: body.instance ?? request.url, requestId: request.id });
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
