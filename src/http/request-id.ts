import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * A client's `x-request-id` is kept only when it is short and plainly an identifier; anything
 * else (8 KB of text, personal data, control characters) is replaced by a fresh UUID, so what
 * reaches the log and the events' metadata is bounded and harmless.
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export function requestIdOf(request: IncomingMessage): string {
  const sent = request.headers['x-request-id'];
  return typeof sent === 'string' && REQUEST_ID_PATTERN.test(sent) ? sent : randomUUID();
}

/** The same rule for `x-correlation-id`; undefined when absent or not well-formed. */
export function wellFormedId(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value) ? value : undefined;
}
