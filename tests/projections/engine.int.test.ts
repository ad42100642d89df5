import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/storage/database';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { START, type RecordedEvent } from '../../src/application/event-store';
import { NotFoundError } from '../../src/application/errors';
import { ProjectionEngine } from '../../src/projections/engine';
import { ProjectionRunner } from '../../src/projections/runner';
import type { Projection } from '../../src/projections/projection';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { silentLogger } from '../support/logger';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';
import { eventually } from '../support/wait';

const backends = await availableBackends();

/** A read model counting events per stream, with a switch to fail on a chosen event. */
function countingProjection(name: string, table: string, failOn: { value: string | null }): Projection {
  return {
    name,
    mode: 'async',
    handles: ['Counted'],
    tables: [table],
    async apply(trx: Db, events: readonly RecordedEvent[]) {
      for (const e of events) {
        if (failOn.value && e.data.label === failOn.value) throw new Error(`handler failed on ${failOn.value}`);
        await sql`insert into ${sql.table(table)} (event_id, stream_id, label) values (${e.eventId}, ${e.streamId}, ${String(e.data.label)})`.execute(trx);
      }
    },
  };
}

async function rows(db: Db, table: string): Promise<string[]> {
  const result = await sql<{ label: string }>`select label from ${sql.table(table)} order by label`.execute(db);
  return result.rows.map((r) => r.label);
}

describe.each(backends)('projection engine on %s', (backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = new SqlEventStore(database);
  });
  afterAll(async () => database?.close());

  let table: string;
  beforeEach(async () => {
    table = `rm_count_${randomUUID().slice(0, 8)}`;
    await sql`create table ${sql.table(table)} (event_id uuid primary key, stream_id text not null, label text not null)`.execute(database.db);
  });

  const labelled = (...labels: string[]) => labels.map((label) => newEvent('Counted', { label }));

  it('commits the checkpoint with the batch: a handler failing midway applies nothing, a restart applies everything once', async () => {
    const failOn = { value: 'c' as string | null };
    const name = `p-${table}`;
    const stream = `s-${randomUUID()}`;
    await store.append(stream, labelled('a', 'b', 'c', 'd', 'e'), 'no_stream');

    const first = new ProjectionEngine(database, store, [countingProjection(name, table, failOn)], silentLogger, { batchSize: 100 });
    await first.start();
    await eventually(async () => expect((await first.status())[0]!.state).toBe('failed'));
    const failed = (await first.status())[0]!;
    expect(failed.lastError?.message).toContain('handler failed on c');
    expect(failed.lag).toBeGreaterThanOrEqual(5);
    expect(await first.maxLag()).toBe(failed.lag); // readiness sees the async projection's lag
    expect(await rows(database.db, table)).toEqual([]); // a and b were rolled back with the batch
    await first.stop();

    failOn.value = null; // the fix is deployed; the service restarts
    const second = new ProjectionEngine(database, store, [countingProjection(name, table, failOn)], silentLogger, { batchSize: 100 });
    await second.catchUp();
    await second.catchUp();
    expect(await rows(database.db, table)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const status = (await second.status())[0]!;
    expect(status.lag).toBe(0);
    expect(await second.maxLag()).toBe(0);
    expect(status.eventsApplied).toBe(5);
  });

  it('keeps other projections running while one fails, and shows the error in the status', async () => {
    const other = `rm_other_${randomUUID().slice(0, 8)}`;
    await sql`create table ${sql.table(other)} (event_id uuid primary key, stream_id text not null, label text not null)`.execute(database.db);
    const failing = countingProjection(`failing-${table}`, table, { value: 'boom' });
    const healthy = countingProjection(`healthy-${other}`, other, { value: null });
    const engine = new ProjectionEngine(database, store, [failing, healthy], silentLogger, { pollIntervalMs: 20 });
    await engine.start();
    await store.append(`s-${randomUUID()}`, labelled('boom', 'fine'), 'no_stream');
    await eventually(async () => expect(await rows(database.db, other)).toEqual(expect.arrayContaining(['boom', 'fine'])));
    await eventually(async () => {
      const status = await engine.status();
      expect(status.find((s) => s.name === failing.name)).toMatchObject({ state: 'failed', lastError: { message: expect.stringContaining('boom') } });
      expect(status.find((s) => s.name === healthy.name)).toMatchObject({ state: 'live', lastError: null });
    });
    await engine.stop();
  });

  it('tails live events after catching up, and a rebuild while running gives the same read model', async () => {
    const name = `live-${table}`;
    const engine = new ProjectionEngine(database, store, [countingProjection(name, table, { value: null })], silentLogger, { batchSize: 2 });
    await engine.start();
    const stream = `s-${randomUUID()}`;
    await store.append(stream, labelled('x1', 'x2', 'x3'), 'no_stream');
    await store.append(stream, labelled('x4'), 3);
    const before = await eventually(async () => {
      const r = await rows(database.db, table);
      expect(r).toEqual(expect.arrayContaining(['x1', 'x2', 'x3', 'x4']));
      return r;
    });

    await engine.rebuild(name);
    await store.append(stream, labelled('x5'), 4);
    await eventually(async () => {
      expect(await rows(database.db, table)).toEqual([...before, 'x5'].sort());
      expect((await engine.status())[0]).toMatchObject({ state: 'live', lag: 0 });
    });
    await engine.stop();
  });

  it('applies nothing twice when two engines run the same projection', async () => {
    const name = `dual-${table}`;
    const stream = `s-${randomUUID()}`;
    await store.append(stream, labelled(...Array.from({ length: 40 }, (_, i) => `d${String(i).padStart(2, '0')}`)), 'no_stream');
    const a = new ProjectionEngine(database, store, [countingProjection(name, table, { value: null })], silentLogger, { batchSize: 3 });
    const b = new ProjectionEngine(database, store, [countingProjection(name, table, { value: null })], silentLogger, { batchSize: 3 });
    await a.start();
    await b.start();
    // A catch-up reads up to the gap-safe bound: a transaction another test file holds open at
    // that moment keeps the append below it, so both catch up again until they have it all.
    await eventually(async () => {
      await Promise.all([a.catchUp(), b.catchUp()]);
      const mine = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where stream_id = ${stream}`.execute(database.db);
      expect(Number(mine.rows[0]!.n)).toBe(40); // and a duplicate would have broken the primary key
    });
    await Promise.all([a.stop(), b.stop()]);
  });
  it('builds an inline projection an upgrade adds from the events already in the log, once', async () => {
    // A database written before the projection existed: its events are there, its table empty.
    const name = `inline-${table}`;
    const stream = `s-${randomUUID()}`;
    await store.append(stream, labelled('a', 'b', 'c'), 'no_stream');
    // Other tests' events are in this log too: look at this stream's rows.
    const labelsOf = async (id: string) =>
      (await sql<{ label: string }>`select label from ${sql.table(table)} where stream_id = ${id} order by label`.execute(database.db)).rows.map(
        (r) => r.label,
      );
    const added: Projection = { ...countingProjection(name, table, { value: null }), mode: 'inline' };

    const upgraded = new ProjectionEngine(database, store, [added], silentLogger);
    await upgraded.start();
    expect(await labelsOf(stream)).toEqual(['a', 'b', 'c']);
    await upgraded.stop();

    // Known from now on: a later start does not rebuild it (this store does not apply it inline,
    // so an event appended now stays unseen, which a second rebuild would have picked up).
    await store.append(stream, labelled('d'), 3);
    const restarted = new ProjectionEngine(database, store, [added], silentLogger);
    await restarted.start();
    expect(await labelsOf(stream)).toEqual(['a', 'b', 'c']);
    await restarted.stop();
  });

  it('rebuilds several projections, inline and async, from one pass over the log, each to the rows of its events', async () => {
    const stream = `s-${randomUUID()}`;
    await store.append(stream, labelled('x', 'y'), 'no_stream');
    const second = `${table}_b`;
    const third = `${table}_c`;
    for (const t of [second, third])
      await sql`create table ${sql.table(t)} (event_id uuid primary key, stream_id text not null, label text not null)`.execute(database.db);
    const inline = (name: string, t: string): Projection => ({ ...countingProjection(name, t, { value: null }), mode: 'inline' });
    const asynchronous = countingProjection(`c-${table}`, third, { value: null });
    const engine = new ProjectionEngine(database, store, [inline(`a-${table}`, table), inline(`b-${table}`, second), asynchronous], silentLogger);
    await engine.start();
    await engine.catchUp();
    // Emptied: the rebuild alone fills them again.
    for (const t of [table, second, third]) await sql`delete from ${sql.table(t)}`.execute(database.db);
    const labelsIn = async (t: string) =>
      (await sql<{ label: string }>`select label from ${sql.table(t)} where stream_id = ${stream} order by label`.execute(database.db)).rows.map(
        (r) => r.label,
      );
    expect(await labelsIn(table)).toEqual([]);
    expect(await labelsIn(third)).toEqual([]);
    const read: number[] = [];
    await engine.rebuildAll([], { onProgress: (n) => void read.push(n), pageSize: 2 });
    await engine.catchUp();
    for (const t of [table, second, third]) expect(await labelsIn(t)).toEqual(['x', 'y']);
    // One read of the log for both inline projections: the pages' count, not twice it.
    expect(read.at(-1)).toBe(await store.countAfter(START, { types: ['Counted'] }));
    expect(read).toEqual([...read].sort((a, b) => a - b));
    // An unknown name is refused before anything is rebuilt.
    await sql`delete from ${sql.table(second)}`.execute(database.db);
    await expect(engine.rebuildAll([`b-${table}`, 'nope'])).rejects.toBeInstanceOf(NotFoundError);
    expect(await labelsIn(second)).toEqual([]);
    await engine.stop();
  });

  it("tries a batch that lost its database connection again at the next poll, without a failing handler's backoff", async () => {
    const stream = `s-${randomUUID()}`;
    await store.append(stream, labelled('p', 'q'), 'no_stream');
    let down = true;
    let attempts = 0;
    // The store as a terminated session leaves it: every read fails until the pool reconnects.
    const flaky = {
      readAll: (...args: Parameters<SqlEventStore['readAll']>) => {
        attempts++;
        if (down) return Promise.reject(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
        return store.readAll(...args);
      },
    } as unknown as SqlEventStore;
    const runner = new ProjectionRunner(countingProjection(`lost-${table}`, table, { value: null }), database.db, flaky, silentLogger, {
      batchSize: 100,
      pollIntervalMs: 10,
      maxBackoffMs: 60_000,
      isConnectionLost: (error) => (error as { code?: string }).code === '57P01',
    });
    await runner.start();
    try {
      // Twelve in a row: a failing handler's backoff (200 ms, doubling up to a minute) would put
      // the twelfth minutes away.
      await eventually(() => expect(attempts).toBeGreaterThanOrEqual(12));
      expect(runner.state).toBe('failed');
      expect(runner.lastError).toMatchObject({ message: expect.stringContaining('administrator command') });
      expect(runner.lastError!.attempts).toBeGreaterThanOrEqual(11);
      down = false;
      const labels = async () =>
        (await sql<{ label: string }>`select label from ${sql.table(table)} where stream_id = ${stream} order by label`.execute(database.db)).rows.map(
          (r) => r.label,
        );
      await eventually(async () => expect(await labels()).toEqual(['p', 'q']));
      await eventually(() => expect({ state: runner.state, lastError: runner.lastError }).toEqual({ state: 'live', lastError: null }));
    } finally {
      await runner.stop();
    }
  });

  it('tries a failed batch again when its backoff is over, with no new event to wake it', async () => {
    const stream = `s-${randomUUID()}`;
    await store.append(stream, labelled('r', 's'), 'no_stream');
    let failing = 2;
    const realNow = Date.now.bind(Date);
    let clock: MockInstance<typeof Date.now> | null = null;
    // A read that fails twice (the runner's backoff then holds it 200 ms, then 400). Just after the
    // first failure the wall clock steps back a second (NTP correcting it): the backoff's timer runs
    // on the monotonic clock, and when it fired Date.now() had not reached the retry time it had
    // noted, so the timer was taken for a wake come too early, dropped, and the runner never ran again.
    const flaky = {
      readAll: (...args: Parameters<SqlEventStore['readAll']>) => {
        if (failing-- <= 0) return store.readAll(...args);
        if (!clock) setTimeout(() => (clock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() - 1_000)), 50);
        return Promise.reject(new Error('the read failed'));
      },
    } as unknown as SqlEventStore;
    // No notifications and a poll far away: only the backoff's own timer can run the batch again.
    const runner = new ProjectionRunner(countingProjection(`retry-${table}`, table, { value: null }), database.db, flaky, silentLogger, {
      batchSize: 100,
      pollIntervalMs: 600_000,
      maxBackoffMs: 60_000,
    });
    await runner.start();
    try {
      await eventually(() => expect({ state: runner.state, lastError: runner.lastError }).toEqual({ state: 'live', lastError: null }));
      expect(failing).toBeLessThan(0);
      const labels = await sql<{ label: string }>`select label from ${sql.table(table)} where stream_id = ${stream} order by label`.execute(database.db);
      expect(labels.rows.map((r) => r.label)).toEqual(['r', 's']);
    } finally {
      (clock as MockInstance<typeof Date.now> | null)?.mockRestore();
      await runner.stop();
    }
  });
});
