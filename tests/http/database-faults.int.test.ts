import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Projection } from '../../src/projections/projection';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { postgresUrl } from '../support/test-database';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { eventually } from '../support/wait';

/**
 * Database faults on a real PostgreSQL: backends terminated under load, the service's own
 * idle_in_transaction_session_timeout firing, the server unreachable for a while. The service
 * must keep running, lose and double nothing, answer 503 (never 500) while it cannot reach the
 * database, and recover on its own.
 */
const url = await postgresUrl();
if (!url && process.env.CI) throw new Error('CI must run the database-fault test: set TEST_DATABASE_URL');

/** Reads every town registration; its checkpoint counts what it applied, transactionally. */
const tailing: Projection = { name: 'fault-tail', mode: 'async', handles: ['TownRegistered'], tables: [], apply: async () => undefined };

/** Errors that reached the process (in `npm start` they would have ended it). */
const escaped: unknown[] = [];
const record = (error: unknown) => escaped.push(error);

describe.skipIf(!url)('database faults (PostgreSQL)', () => {
  beforeAll(() => {
    process.on('uncaughtException', record);
    process.on('unhandledRejection', record);
  });
  afterAll(() => {
    process.off('uncaughtException', record);
    process.off('unhandledRejection', record);
  });
  afterEach(() => expect(escaped).toEqual([]));

  describe('backends terminated during a mixed write load', () => {
    const applicationName = `sws-fault-${randomBytes(4).toString('hex')}`;
    let t: TestApp;
    let killer: pg.Client;
    let admin: Record<string, string>;
    let connectionErrors = 0;
    beforeAll(async () => {
      t = await startTestApp({
        backend: 'postgres',
        postgres: { applicationName, poolSize: 6, idleInTransactionTimeoutMs: 2_000, onConnectionError: () => connectionErrors++ },
        // A tailing projection, so the LISTEN connection and a runner's batches are cut too.
        overrides: { extraProjections: [tailing] },
      });
      admin = bearer(t.token('admin'));
      killer = new pg.Client({ connectionString: t.database.url!, application_name: `${applicationName}-killer` });
      await killer.connect();
    });
    afterAll(async () => {
      await killer?.end();
      await t?.close();
    });

    /** Only this test's own sessions, in its own database. */
    const terminate = async () => {
      const { rows } = await killer.query<{ killed: string }>(
        `select count(*) filter (where pg_terminate_backend(pid)) as killed from pg_stat_activity
          where application_name = $1 and datname = current_database() and pid <> pg_backend_pid()`,
        [applicationName],
      );
      return Number(rows[0]!.killed);
    };

    const statuses: number[] = [];
    const problems503: { type: string; retryAfter: unknown; contentType: unknown }[] = [];

    /** Sends one command until it succeeds, with the same Idempotency-Key each time. */
    async function untilDone(path: string, key: string, payload: object): Promise<{ id: string }> {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const response = await t.app.inject({ method: 'POST', url: path, headers: { ...admin, 'idempotency-key': key }, payload });
        statuses.push(response.statusCode);
        if (response.statusCode < 300) return response.json();
        if (response.statusCode === 503) {
          problems503.push({ type: response.json().type, retryAfter: response.headers['retry-after'], contentType: response.headers['content-type'] });
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        throw new Error(`${path} answered ${response.statusCode}: ${response.body}`);
      }
      throw new Error(`${path} never succeeded`);
    }

    it('keeps the process alive, loses and doubles nothing, answers 503 (not 500) and recovers within 2 s', async () => {
      const run = randomBytes(3).toString('hex');
      const towns = 24;
      let writing = true;
      let killed = 0;
      let rounds = 0;
      // Ten rounds of terminations, 150 ms apart, while the load runs (a failover, a restart…).
      const chaos = (async () => {
        while (writing && rounds < 10) {
          await new Promise((r) => setTimeout(r, 150));
          killed += await terminate();
          rounds++;
        }
      })();

      // Mixed load: registrations, villages under them, and reads, four at a time.
      const jobs = Array.from({ length: towns }, (_, i) => async () => {
        const town = await untilDone('/api/v1/towns', `town-${run}-${i}`, { code: `F${run}${i}`, name: `故障镇${i}` });
        await untilDone('/api/v1/villages', `village-${run}-${i}`, { townId: town.id, code: `F${run}${i}V`, name: `故障村${i}` });
        const read = await t.app.inject({ method: 'GET', url: '/api/v1/towns?limit=5', headers: admin });
        statuses.push(read.statusCode);
      });
      const workers = Array.from({ length: 4 }, async () => {
        for (let job = jobs.shift(); job; job = jobs.shift()) await job();
      });
      try {
        await Promise.all(workers);
      } finally {
        writing = false;
        await chaos;
      }

      // The drill did hit the service.
      expect(rounds).toBeGreaterThan(0);
      expect(killed).toBeGreaterThan(0);
      // Errors were 503 with Retry-After and a stable problem type, never a 500.
      expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
      expect(statuses.every((s) => s < 300 || s === 503)).toBe(true);
      for (const p of problems503) {
        expect(p).toMatchObject({ type: '/problems/database-unavailable', retryAfter: '2' });
        expect(String(p.contentType)).toContain('application/problem+json');
      }

      // Recovery: the pool reconnects by itself; polled, not timed.
      await eventually(async () => {
        const ready = await t.app.inject({ method: 'GET', url: '/ready' });
        expect(ready.statusCode).toBe(200);
        const write = await t.app.inject({ method: 'POST', url: '/api/v1/towns', headers: admin, payload: { code: `F${run}R`, name: '恢复镇' } });
        expect(write.statusCode).toBe(201);
      }, 2_000);

      // Nothing lost, nothing doubled: one registration per town and per village, chains intact.
      const { rows } = await sql<{ type: string; n: string; commands: string }>`
        select type, count(*) as n, count(distinct metadata->>'commandId') as commands from es_events
         where (type = 'TownRegistered' and data_jcs::jsonb->>'code' like ${`F${run}%`}) or (type = 'VillageRegistered' and data_jcs::jsonb->>'code' like ${`F${run}%`})
         group by type order by type`.execute(t.database.db);
      expect(rows.map((r) => ({ type: r.type, n: Number(r.n), commands: Number(r.commands) }))).toEqual([
        { type: 'TownRegistered', n: towns + 1, commands: towns + 1 },
        { type: 'VillageRegistered', n: towns, commands: towns },
      ]);
      const listed = await t.app.inject({ method: 'GET', url: '/api/v1/towns?limit=500', headers: admin });
      expect(listed.json().items.filter((town: { code: string }) => town.code.startsWith(`F${run}`))).toHaveLength(towns + 1);
      expect((await t.service.deps.store.verify()).broken).toEqual([]);
      // The tailing projection (its batches and LISTEN connection were cut too) catches up, once.
      await eventually(async () => {
        const tail = (await t.service.deps.projections.status()).find((p) => p.name === tailing.name);
        expect(tail).toMatchObject({ lag: 0, eventsApplied: towns + 1, stalled: false });
      });

      // The sessions' errors reached the handler every client has (in use or idle), not the process.
      expect(connectionErrors).toBeGreaterThan(0);
      const scrape = await t.app.inject({ method: 'GET', url: '/metrics', headers: admin });
      expect(scrape.body).toContain('sws_command_retries_total');
    });

    it("survives its own idle_in_transaction_session_timeout ending a transaction's session", async () => {
      // A transaction that waits between two statements longer than the timeout (2 s here):
      // the server ends the session while the client is checked out of the pool.
      const failure = await t.database.db
        .transaction()
        .execute(async (trx) => {
          await sql`select 1`.execute(trx);
          await new Promise((r) => setTimeout(r, 3_000));
          await sql`select 1`.execute(trx);
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(failure).not.toBeNull();
      const { isConnectionLost } = await import('../../src/storage/connection-faults');
      expect(isConnectionLost(failure)).toBe(true);

      await eventually(async () => {
        const write = await t.app.inject({
          method: 'POST',
          url: '/api/v1/towns',
          headers: admin,
          payload: { code: `I${randomBytes(3).toString('hex')}`, name: '空闲镇' },
        });
        expect(write.statusCode).toBe(201);
      }, 2_000);
    });
  });

  describe('the database unreachable for a while', () => {
    let proxy: TcpProxy;
    let t: TestApp;
    let admin: Record<string, string>;
    beforeAll(async () => {
      const target = new URL(url!);
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      t = await startTestApp({ backend: 'postgres', postgres: { connectionString: proxy.url(url!), connectTimeoutMs: 1_000 } });
      admin = bearer(t.token('admin'));
    });
    afterAll(async () => {
      await t?.close();
      await proxy?.close();
    });

    it('reports the database down in /ready, answers commands 503 with Retry-After, and recovers by itself', async () => {
      await proxy.cut();

      const ready = await t.app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'not_ready', checks: { database: { ok: false, backend: 'postgres' } } });

      const write = await t.app.inject({
        method: 'POST',
        url: '/api/v1/towns',
        headers: { ...admin, 'idempotency-key': 'down-1' },
        payload: { code: 'DOWN1', name: '断线镇' },
      });
      expect(write.statusCode).toBe(503);
      expect(write.headers['retry-after']).toBe('2');
      expect(write.headers['content-type']).toContain('application/problem+json');
      expect(write.json()).toMatchObject({ type: '/problems/database-unavailable', status: 503, title: '数据库暂时不可用' });

      const read = await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: admin });
      expect(read.statusCode).toBe(503);

      await proxy.restore();
      await eventually(async () => {
        expect((await t.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
      }, 2_000);
      // The same request again (same key) now goes through, once.
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/v1/towns',
        headers: { ...admin, 'idempotency-key': 'down-1' },
        payload: { code: 'DOWN1', name: '断线镇' },
      });
      expect(again.statusCode).toBe(201);
      const events = await t.service.deps.store.readStream(`town-${again.json().id}`);
      expect(events.map((e) => e.type)).toEqual(['TownRegistered']);
    });
  });
});
