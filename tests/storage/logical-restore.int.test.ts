import type { Db } from '../../src/application/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, type Position, type RecordedEvent } from '../../src/application/event-store';
import { ProjectionEngine } from '../../src/projections/engine';
import type { Projection } from '../../src/projections/projection';
import { migrateToLatest } from '../../src/storage/migrate';
import { openPostgres } from '../../src/storage/postgres-database';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { silentLogger } from '../support/logger';
import { dumpAndRestore, postgresBinaries, startSecondCluster, type SecondCluster } from '../support/second-cluster';
import { openTestDatabase, postgresUrl, type TestDatabase } from '../support/test-database';

const url = await postgresUrl();
const binaries = postgresBinaries();
const skipReason = !url ? 'no PostgreSQL to dump from (TEST_DATABASE_URL unset, no Docker)' : 'missing' in binaries ? binaries.missing : null;
if (skipReason) console.warn(`logical restore test skipped: ${skipReason}`);

const KEY = Buffer.from('5e'.repeat(32), 'hex');

const counting: Projection = {
  name: 'restore-count',
  mode: 'async',
  handles: ['Counted'],
  tables: ['rm_restore_count'],
  async apply(trx: Db, events: readonly RecordedEvent[]) {
    for (const e of events) await sql`insert into rm_restore_count (event_id, label) values (${e.eventId}, ${String(e.data.label)})`.execute(trx);
  },
};

async function readEverything(store: SqlEventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let position: Position = START;
  for (;;) {
    const page = await store.readAll(position, 2);
    all.push(...page.events);
    if (page.events.length === 0) return all;
    position = page.next;
  }
}

describe.skipIf(skipReason !== null)('a logical restore (pg_dump / pg_restore) into a fresh cluster whose transaction counter is lower', () => {
  let source: TestDatabase;
  let cluster: SecondCluster;
  let restored: SqlDatabase;
  const written: RecordedEvent[] = [];

  beforeAll(async () => {
    source = await openTestDatabase('postgres');
    // The point of the test: stored commit keys far above what the new cluster's xids start at.
    const xid = async () => Number((await sql<{ x: string }>`select pg_current_xact_id()::text as x`.execute(source.db)).rows[0]!.x);
    while ((await xid()) < 5_000) await sql`select pg_current_xact_id()`.execute(source.db);

    const store = new SqlEventStore(source, { macKey: KEY });
    await sql`create table rm_restore_count (event_id uuid primary key, label text not null)`.execute(source.db);
    const label = (l: string) => newEvent('Counted', { label: l });
    written.push(...(await store.append('restore-a', [label('a1'), label('a2')], 'no_stream')).events);
    written.push(...(await store.append('restore-b', [label('b1')], 'no_stream')).events);
    // A projection caught up with part of the log: its checkpoint is restored with it.
    // On a shared server another session's open transaction can hold the gap-safe read back a while.
    const engine = new ProjectionEngine(source, store, [counting], silentLogger, { batchSize: 100 });
    let applied = 0;
    for (const deadline = Date.now() + 60_000; applied < 3 && Date.now() < deadline;) {
      applied += await engine.catchUp();
      if (applied < 3) await new Promise((r) => setTimeout(r, 200));
    }
    expect(applied).toBe(3);
    written.push(...(await store.append('restore-a', [label('a3')], 2)).events);
    written.push(...(await store.append('restore-c', [label('c1'), label('c2')], 'no_stream')).events);

    cluster = await startSecondCluster((binaries as { bin: string }).bin);
    dumpAndRestore(cluster.bin, source.url!, source.schema, cluster.url, cluster.dir);
    restored = await openPostgres({ connectionString: cluster.url, schema: source.schema, poolSize: 4 });
  }, 120_000);

  afterAll(async () => {
    await restored?.close();
    cluster?.stop();
    await source?.close();
  });

  it('reads every event back, in the same order, once the service has started on it (one step: migrate, which every start runs)', async () => {
    const newCounter = Number((await sql<{ x: string }>`select pg_current_xact_id()::text as x`.execute(restored.db)).rows[0]!.x);
    const top = Number((await sql<{ t: string }>`select max(transaction_id)::text as t from es_events`.execute(restored.db)).rows[0]!.t);
    expect(top).toBeGreaterThan(newCounter);
    const store = new SqlEventStore(restored, { macKey: KEY });
    // Before the start-up step: the gap-safe reader hides what lies above the new counter.
    expect((await readEverything(store)).length).toBeLessThan(written.length);

    await migrateToLatest(restored);
    const all = await readEverything(store);
    expect(all.map((e) => e.eventId)).toEqual(written.map((e) => e.eventId));
    expect(all.map((e) => e.position)).toEqual(written.map((e) => e.position));
    expect(await store.countAfter(START)).toBe(written.length);
    expect((await store.verify()).broken).toEqual([]);
    // A second start changes nothing.
    await migrateToLatest(restored);
    expect((await readEverything(store)).length).toBe(written.length);
  });

  it('lets a projection catch up from its restored checkpoint, and puts new appends after everything restored', async () => {
    const store = new SqlEventStore(restored, { macKey: KEY });
    expect(await new ProjectionEngine(restored, store, [counting], silentLogger, { batchSize: 100 }).catchUp()).toBe(3);
    const later = await store.append('restore-b', [newEvent('Counted', { label: 'b2' })], 1);
    expect(await new ProjectionEngine(restored, store, [counting], silentLogger, { batchSize: 100 }).catchUp()).toBe(1);
    const labels = await sql<{ label: string }>`select label from rm_restore_count order by label`.execute(restored.db);
    expect(labels.rows.map((r) => r.label)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'c1', 'c2']);
    const all = await readEverything(store);
    expect(all.at(-1)!.eventId).toBe(later.events[0]!.eventId);
    expect(all.at(-1)!.position > written.at(-1)!.position).toBe(true);
    expect((await store.verify()).broken).toEqual([]);
  });
});
