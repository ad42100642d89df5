import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InlineProjection } from '../../src/application/event-store';
import type { Db } from '../../src/application/db';
import { MAC_SHARDS, macShard } from '../../src/storage/event-mac';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const onPostgres = (await availableBackends()).includes('postgres');

/**
 * Two appends whose inline projections take the same two rows in opposite orders: the server
 * breaks the deadlock by failing one transaction (40P01). The county's demo load met this at
 * scale (parallel visit batches and single visits upserting the same coverage months in
 * different orders) and stopped; a deadlock victim wrote nothing, so its append is tried again.
 */
describe.runIf(onPostgres)('an append chosen as a deadlock victim on PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    await sql`create table deadlock_rows (k text primary key, n int not null)`.execute(database.db);
    await sql`insert into deadlock_rows values ('a', 0), ('b', 0)`.execute(database.db);
  });
  afterAll(async () => database?.close());

  /**
   * A store whose inline projection locks the event's `first` row, waits until the other append
   * holds its own first row, then locks `second`: two appends in opposite orders deadlock.
   * `runs` counts the projection's transactions that got their first row.
   */
  function crossingStore(): { store: SqlEventStore; runs: () => number } {
    let holding = 0;
    let release!: () => void;
    const bothHoldFirst = new Promise<void>((resolve) => (release = resolve));
    const projection: InlineProjection = {
      name: 'crossing',
      handles: ['Crossed'],
      async apply(trx, events) {
        const [first, second] = (events[0]!.data as { order: [string, string] }).order;
        await sql`update deadlock_rows set n = n + 1 where k = ${first}`.execute(trx as Db);
        if (++holding === 2) release();
        await bothHoldFirst;
        await sql`update deadlock_rows set n = n + 1 where k = ${second}`.execute(trx as Db);
      },
    };
    return { store: new SqlEventStore(database, { inlineProjections: [projection], notify: false }), runs: () => holding };
  }

  /**
   * `n` new stream ids, each in a MAC shard of its own. An append updates its stream's shard row
   * before the inline projections run: two appends in one shard take that row in turn, and the
   * first would then wait in the projection for a second that waits on the server for the first,
   * a wait the server cannot see as a deadlock (the test hung until the idle-transaction timeout
   * whenever random ids met in a shard, 1 in 64 for two streams).
   */
  function streamsInOwnShards(n: number): string[] {
    const streams = new Map<number, string>();
    while (streams.size < n) {
      const id = `crossing-${randomUUID()}`;
      if (!streams.has(macShard(id, MAC_SHARDS))) streams.set(macShard(id, MAC_SHARDS), id);
    }
    return [...streams.values()];
  }

  /** Each row moved once per append that landed: a victim's first attempt was rolled back. */
  async function expectEachRowMovedTwice() {
    const rows = await sql<{ k: string; n: number }>`select k, n from deadlock_rows order by k`.execute(database.db);
    expect(rows.rows).toEqual([
      { k: 'a', n: 2 },
      { k: 'b', n: 2 },
    ]);
  }

  it('is tried again: both appends land, each event and each row change once', async () => {
    const { store, runs } = crossingStore();
    const [one, two] = streamsInOwnShards(2) as [string, string];

    const results = await Promise.all([
      store.append(one, [newEvent('Crossed', { order: ['a', 'b'] })], 'no_stream'),
      store.append(two, [newEvent('Crossed', { order: ['b', 'a'] })], 'no_stream'),
    ]);

    expect(results.map((r) => r.version)).toEqual([1, 1]);
    await expectEachRowMovedTwice();
    const stored = await sql<{ n: string }>`select count(*) as n from es_events where stream_id in (${one}, ${two})`.execute(database.db);
    expect(Number(stored.rows[0]!.n)).toBe(2);
    // Both transactions really met: the projection ran three times (the victim's first attempt, then each landing).
    expect(runs()).toBe(3);
  });

  it('tries a batch of many streams again whole, rather than one stream at a time', async () => {
    await sql`update deadlock_rows set n = 0`.execute(database.db);
    const { store, runs } = crossingStore();
    const streams = streamsInOwnShards(4);
    const batch = (order: [string, string], ids: string[]) =>
      ids.map((streamId) => ({ streamId, events: [newEvent('Crossed', { order })], expected: 'no_stream' as const }));

    const [one, two] = await Promise.all([store.appendMany(batch(['a', 'b'], streams.slice(0, 2))), store.appendMany(batch(['b', 'a'], streams.slice(2)))]);

    // Null would have sent the caller one stream at a time: both batches landed as batches.
    expect(one?.map((r) => r.version)).toEqual([1, 1]);
    expect(two?.map((r) => r.version)).toEqual([1, 1]);
    expect(runs()).toBe(3);
    await expectEachRowMovedTwice();
  });
});
