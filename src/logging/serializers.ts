import type { FastifyReply, FastifyRequest } from 'fastify';
import { redactUrl } from './redact-values';

/**
 * Errors are logged by their kind, never by their content: a failed database write carries the
 * whole event payload in `params`/`parameters`, a constraint error its `detail` with the row's
 * values. Only the fields that say what went wrong where are kept.
 */
const SAFE_ERROR_FIELDS = ['code', 'constraint', 'table', 'column', 'routine', 'severity', 'statusCode', 'rule'] as const;

export function errorSerializer(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  // An Error with whatever fields its library added (pg: code, constraint, table, …).
  const e = error as Error & Record<string, unknown>;
  // A database error's message may quote the offending value (`invalid input syntax for type
  // uuid: "…"`); with a SQLSTATE code the quoted part is withheld.
  const isDatabaseError = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code);
  const message = isDatabaseError ? error.message.replace(/:\s*".*$/s, ': [value withheld]') : error.message;
  const out: Record<string, unknown> = {
    type: error.constructor?.name ?? 'Error',
    message: message.slice(0, 500),
    stack: isDatabaseError ? undefined : error.stack,
  };
  for (const field of SAFE_ERROR_FIELDS) if (typeof e[field] === 'string' || typeof e[field] === 'number') out[field] = e[field];
  if (error.cause instanceof Error) out.cause = errorSerializer(error.cause);
  return out;
}

/** The request as the access log shows it: no headers (tokens, cookies), query values redacted. */
export function requestSerializer(request: FastifyRequest | { method?: string; url?: string; id?: string }): Record<string, unknown> {
  const r = request as FastifyRequest;
  return {
    method: r.method,
    url: typeof r.url === 'string' ? redactUrl(r.url) : undefined,
    ...(r.routeOptions?.url ? { route: r.routeOptions.url } : {}),
    ...(r.ip ? { remoteAddress: r.ip } : {}),
  };
}

export function replySerializer(reply: FastifyReply | { statusCode?: number }): Record<string, unknown> {
  return { statusCode: reply.statusCode };
}
