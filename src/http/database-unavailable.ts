import type { FastifyReply, FastifyRequest } from 'fastify';
import { isConnectionLost } from '../storage/connection-faults';
import { problem, sendProblem } from './problem';

/** Seconds a client should wait before retrying: the pool reconnects within about a second. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * A request that failed because the database connection was lost (and, for a command, failed
 * again on a fresh connection) is answered 503 with Retry-After: the service is fine, the
 * database is briefly away, and the same request (same Idempotency-Key) may be sent again
 * safely. Answers null for every other error.
 */
export function sendIfDatabaseUnavailable(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply | null {
  if (!isConnectionLost(error)) return null;
  request.log.warn({ problem: 'database-unavailable', status: 503 }, 'database connection lost; answered 503');
  reply.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
  return sendProblem(
    request,
    reply,
    problem('database-unavailable', 503, {
      detail: `与数据库的连接中断，请在 ${DATABASE_RETRY_AFTER_SECONDS} 秒后重试；带相同 Idempotency-Key 的重试不会重复记录。`,
    }),
  );
}
