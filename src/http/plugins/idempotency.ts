import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sql, type Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { BadRequestError } from '../../application/errors';
import { canonicalJson, sha256Hex } from '../../application/hash-chain';
import { deterministicUuid } from '../../application/ids';
import { IdempotencyKeyReusedError } from '../error-handler';

declare module 'fastify' {
  interface FastifyRequest {
    /** Stable for one logical request: derived from Idempotency-Key when the client sends one. */
    commandId: string;
    correlationId: string;
    idempotency: { key: string; requestHash: string } | null;
  }
}

const STORED_HEADERS = ['content-type', 'etag', 'location'];
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on POST: the same key and body replay the stored response and append
 * nothing; the same key with another body is a 422. The command id is derived from the key, so
 * even two identical requests racing each other append once (the event store sees the same ids).
 */
async function idempotencyPlugin(app: FastifyInstance, options: { db: Kysely<any> }): Promise<void> {
  const { db } = options;
  app.decorateRequest('commandId', '');
  app.decorateRequest('correlationId', '');
  app.decorateRequest('idempotency', null);

  app.addHook('onRequest', async (request) => {
    const correlation = request.headers['x-correlation-id'];
    request.correlationId = typeof correlation === 'string' && correlation.length <= 100 ? correlation : request.id;
    request.commandId = randomUUID();
  });

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !request.actor) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw new BadRequestError('Idempotency-Key must be 1–255 visible ASCII characters', 'headers.idempotency-key');
    }
    const principal = request.actor.id;
    const requestHash = sha256Hex(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`);
    const stored = await sql<{ request_hash: string; status_code: number; headers: Record<string, string>; body: string }>`
      select request_hash, status_code, headers, body from http_idempotency where principal = ${principal} and key = ${header}`.execute(db);
    const hit = stored.rows[0];
    if (hit) {
      if (hit.request_hash !== requestHash) throw new IdempotencyKeyReusedError();
      return replay(reply, hit);
    }
    request.idempotency = { key: header, requestHash };
    request.commandId = deterministicUuid(`idempotency:${principal}:${header}`);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const idem = request.idempotency;
    // 5xx are ours and may be transient: a retry must be allowed to run again.
    if (!idem || reply.statusCode >= 500 || reply.getHeader('idempotent-replayed')) return payload;
    const headers: Record<string, string> = {};
    for (const name of STORED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    await sql`insert into http_idempotency (key, principal, request_hash, status_code, headers, body)
              values (${idem.key}, ${request.actor.id}, ${idem.requestHash}, ${reply.statusCode}, ${JSON.stringify(headers)}::jsonb, ${typeof payload === 'string' ? payload : ''})
              on conflict (principal, key) do nothing`.execute(db);
    return payload;
  });
}

function replay(reply: FastifyReply, hit: { status_code: number; headers: Record<string, string>; body: string }): FastifyReply {
  reply.status(hit.status_code).headers(hit.headers).header('idempotent-replayed', 'true');
  // The body is already serialised: send it as it was the first time.
  return reply.serializer((x: unknown) => x as string).send(hit.body);
}

export default fp(idempotencyPlugin, { name: 'idempotency', dependencies: ['auth'] });

export type { FastifyRequest };
