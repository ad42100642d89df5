import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../application/actor';
import { AreaCheckLog, recordAreaChecks, type AreaCheck } from '../../application/area-checks';
import { BadRequestError, ForbiddenError } from '../../application/errors';
import { canSee, covers, type Jurisdiction } from '../../application/jurisdiction';
import { canonicalJson, sha256Hex } from '../../application/hash-chain';
import { deterministicUuid } from '../../application/ids';
import { IdempotencyKeyReusedError } from '../error-handler';
import { wellFormedId } from '../request-id';
import type { Db } from '../../application/db';

declare module 'fastify' {
  interface FastifyRequest {
    /** Stable for one logical request: derived from Idempotency-Key when the client sends one. */
    commandId: string;
    correlationId: string;
    idempotency: { key: string; requestHash: string; scope: IdempotencyScope; areaChecks: AreaCheckLog } | null;
  }
}

interface IdempotencyScope {
  principal: string;
  role: string;
  method: string;
  route: string;
}

export interface IdempotencyOptions {
  db: Db;
  /** How long a stored reply is replayed; default 24 h. */
  ttlHours?: number;
  /** How often expired replies are deleted; default every 10 minutes. */
  cleanupEveryMs?: number;
  /** The caller's jurisdiction today: a replay passes the stored request's area checks again. */
  jurisdictionOf: (actor: Actor) => Promise<Jurisdiction>;
}

/** What a stored reply needs to be shown again: the area checks its request passed, and the caller's scope then. */
interface StoredArea {
  scope: Jurisdiction['scope'];
  checks: AreaCheck[];
}

const STORED_HEADERS = ['content-type', 'etag', 'location', 'preference-applied'];
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on POST: the same key and body replay the stored response and append
 * nothing; the same key with another body is a 422. The command id is derived from the key, so
 * even two identical requests racing each other append once (the event store sees the same ids).
 *
 * The lookup runs in preHandler — after authentication, the route's role gate and validation —
 * and is keyed on (sub, role, method, route, key): another role or route never sees the reply.
 * Only successful (2xx) replies are stored, as the exact bytes the caller got (so masked as for
 * that caller), and they expire after `ttlHours`.
 *
 * Authorization is checked again on every replay: the role gate has already run (onRequest), and
 * the area checks the first request passed (noted by `covers`/`canSee` while its handler ran)
 * must pass against the caller's jurisdiction of the day. A worker whose group was handed over,
 * or who left, gets 403 rather than the stored reply about a household no longer theirs.
 */
async function idempotencyPlugin(app: FastifyInstance, options: IdempotencyOptions): Promise<void> {
  const { db } = options;
  const ttlMs = (options.ttlHours ?? 24) * 3_600_000;
  app.decorateRequest('commandId', '');
  app.decorateRequest('correlationId', '');
  app.decorateRequest('idempotency', null);

  app.addHook('onRequest', async (request) => {
    request.correlationId = wellFormedId(request.headers['x-correlation-id']) ?? request.id;
    request.commandId = randomUUID();
  });

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !request.actor) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw new BadRequestError('Idempotency-Key must be 1–255 visible ASCII characters', 'headers.idempotency-key');
    }
    const scope: IdempotencyScope = {
      principal: request.actor.id,
      role: request.actor.role,
      method: request.method,
      route: request.routeOptions.url ?? request.url.split('?')[0]!,
    };
    const requestHash = sha256Hex(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`);
    const stored = await sql<{ request_hash: string; status_code: number; headers: Record<string, string>; body: string; area_checks: StoredArea | null }>`
      select request_hash, status_code, headers, body, area_checks from http_idempotency
      where principal = ${scope.principal} and role = ${scope.role} and method = ${scope.method} and route = ${scope.route}
        and key = ${header} and expires_at > now()`.execute(db);
    const hit = stored.rows[0];
    if (hit && hit.area_checks) {
      if (hit.request_hash !== requestHash) throw new IdempotencyKeyReusedError();
      refuseOutsideArea(await options.jurisdictionOf(request.actor), hit.area_checks);
      return replay(reply, hit);
    }
    request.idempotency = { key: header, requestHash, scope, areaChecks: new AreaCheckLog() };
    request.commandId = deterministicUuid(`idempotency:${scope.principal}:${scope.role}:${scope.method}:${scope.route}:${header}`);
  });

  // Callback style, so the handler (and all it awaits) runs inside the recording.
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.idempotency) recordAreaChecks(request.idempotency.areaChecks, done);
    else done();
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const idem = request.idempotency;
    // Only successes are kept: a refusal or our own 5xx must be free to run again.
    if (!idem || reply.statusCode < 200 || reply.statusCode >= 300 || reply.getHeader('idempotent-replayed')) return payload;
    // A 204 (a step with `Prefer: return=minimal`) has no body: kept as the empty one it replays.
    const body = reply.statusCode === 204 && payload == null ? '' : payload;
    if (typeof body !== 'string') return payload;
    const headers: Record<string, string> = {};
    for (const name of STORED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const { principal, role, method, route } = idem.scope;
    const expiresAt = new Date(Date.now() + ttlMs).toISOString();
    const area: StoredArea = { scope: (await options.jurisdictionOf(request.actor)).scope, checks: idem.areaChecks.checks };
    // An expired row under the same key is replaced; a live one (a racing twin) is kept.
    await sql`insert into http_idempotency (principal, role, method, route, key, request_hash, status_code, headers, body, expires_at, area_checks)
              values (${principal}, ${role}, ${method}, ${route}, ${idem.key}, ${idem.requestHash}, ${reply.statusCode},
                      ${JSON.stringify(headers)}::jsonb, ${body}, ${expiresAt}::timestamptz, ${JSON.stringify(area)}::jsonb)
              on conflict (principal, role, method, route, key) do update
                set request_hash = excluded.request_hash, status_code = excluded.status_code, headers = excluded.headers,
                    body = excluded.body, created_at = now(), expires_at = excluded.expires_at, area_checks = excluded.area_checks
                where http_idempotency.expires_at <= now() or http_idempotency.area_checks is null`.execute(db);
    return payload;
  });

  const cleanup = setInterval(() => {
    deleteExpiredReplies(db).catch((error: unknown) => app.log.warn({ err: error }, 'idempotency cleanup failed'));
  }, options.cleanupEveryMs ?? 600_000);
  cleanup.unref();
  app.addHook('onClose', async () => clearInterval(cleanup));
}

/** Deletes expired stored replies; returns how many. */
export async function deleteExpiredReplies(db: Db): Promise<number> {
  const result = await sql`delete from http_idempotency where expires_at <= now()`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** The stored request's area checks, run again on the caller's jurisdiction of today. */
function refuseOutsideArea(today: Jurisdiction, area: StoredArea): void {
  const lost = (area.scope !== 'none' && today.scope === 'none') || area.checks.some((c) => !(c.kind === 'covers' ? covers : canSee)(today, c.place));
  if (lost) throw new ForbiddenError('此请求涉及的范围已不在您的辖区内，不能重放已存的答复（outside your jurisdiction now）');
}

function replay(reply: FastifyReply, hit: { status_code: number; headers: Record<string, string>; body: string }): FastifyReply {
  reply.status(hit.status_code).headers(hit.headers).header('idempotent-replayed', 'true');
  // The body is already serialised: send it as it was the first time.
  return reply.serializer((x: unknown) => x as string).send(hit.body);
}

export default fp(idempotencyPlugin, { name: 'idempotency', dependencies: ['auth'] });
