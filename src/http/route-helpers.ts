import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../application/clock';
import { etag, parseIfMatch } from './schemas';

/** Helpers every route plugin shares: a reader context, If-Match, and replies with ETag. */
export const readerOf = (clock: Clock) => (request: FastifyRequest) => ({ actor: request.actor, now: clock.now() });

export const ifMatchOf = (request: FastifyRequest) => parseIfMatch(request.headers['if-match']);

export const sendVersioned = <T extends { version: number }>(reply: FastifyReply, body: T, status = 200) =>
  reply.status(status).header('etag', etag(body.version)).send(body);

/** Whether the request says `Prefer: return=minimal` (RFC 7240; preferences are comma-separated, case-insensitive). */
export function prefersMinimal(request: FastifyRequest): boolean {
  const header = request.headers.prefer;
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  return values.some((v) => v.split(',').some((p) => p.split(';')[0]!.trim().toLowerCase().replace(/\s+/g, '') === 'return=minimal'));
}

/**
 * The answer to a step that moved a versioned resource to `written.version`: 204 with the ETag
 * when the client prefers no representation, else the resource read back (200, its ETag).
 */
export async function answerWritten<T extends { version: number }>(
  request: FastifyRequest,
  reply: FastifyReply,
  written: { version: number },
  readBack: () => Promise<T>,
): Promise<FastifyReply> {
  if (prefersMinimal(request)) return reply.status(204).header('preference-applied', 'return=minimal').header('etag', etag(written.version)).send();
  return sendVersioned(reply, await readBack());
}
