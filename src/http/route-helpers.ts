import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../application/clock';
import { etag, parseIfMatch } from './schemas';

/** Helpers every route plugin shares: a reader context, If-Match, and replies with ETag. */
export const readerOf = (clock: Clock) => (request: FastifyRequest) => ({ actor: request.actor, now: clock.now() });

export const ifMatchOf = (request: FastifyRequest) => parseIfMatch(request.headers['if-match']);

export const sendVersioned = <T extends { version: number }>(reply: FastifyReply, body: T, status = 200) =>
  reply.status(status).header('etag', etag(body.version)).send(body);
