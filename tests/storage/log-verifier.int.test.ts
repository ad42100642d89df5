import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifiedEvent } from '../../src/application/event-store';
import { GAP_SAFE_BOUND } from '../../src/storage/log-hasher';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { asDba } from '../support/tamper';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const backends = await availableBackends();
const KEY = Buffer.from('5a'.repeat(32), 'hex');

/**
 * The whole-log verify reads the log once, in its global order (issue 20). Its stream heads live
 * in a bounded map; past it, predecessors are read back from the log: the findings must not
 * depend on the size of that map, and the pages it hands on are the log in global order.
 */
describe.each(backends)('the one-pass whole-log verify on %s', (backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;
  const ids = Array.from({ length: 4 }, () => `pass-${randomUUID()}`);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = new SqlEventStore(database, { macKey: KEY });
    // Interleaved appends: each stream's events are spread over the global order.
    for (let round = 0; round < 3; round++) {
      for (const id of ids) await store.append(id, [newEvent('A', { round }), newEvent('B', { round })], round === 0 ? 'no_stream' : round * 2);
    }
  });
  afterAll(async () => database?.close());

  const mine = <T extends { streamId: string }>(broken: T[]) => broken.filter((b) => ids.includes(b.streamId));

  it('hands on every event once, in the global order, with its stored hash', async () => {
    const seen: VerifiedEvent[] = [];
    const report = await store.verify({ batchSize: 5, onPage: (page) => void seen.push(...page) });
    // The table itself, not readAll: readAll holds back what a slower transaction (anywhere in the
    // cluster) may still commit before, while the verify reads that tail too once the rest is done.
    const all = (
      await sql<{ event_id: string; hash: string }>`select event_id, hash from es_events order by transaction_id, global_position`.execute(database.db)
    ).rows;
    expect(seen.map((e) => [e.eventId, e.hash])).toEqual(all.map((e) => [e.event_id, e.hash]));
    expect(report.eventsChecked).toBe(all.length);
    expect(mine(report.broken)).toEqual([]);
  });

  it('an untouched log is clean even when the map holds one stream (every predecessor read back)', async () => {
    const report = await store.verify({ batchSize: 3, headCacheSize: 1 });
    expect(mine(report.broken)).toEqual([]);
    expect(report.streamsChecked).toBeGreaterThanOrEqual(ids.length);
  });

  it('finds the same breaks whatever the size of the map', async () => {
    const [altered, truncated, rowless] = ids;
    await asDba(
      database.db,
      sql`update es_events set data = '{"round":99}'::jsonb where stream_id = ${altered} and version = 3`,
      sql`delete from es_events where stream_id = ${truncated} and version = 6`,
      sql`delete from es_streams where stream_id = ${rowless}`,
    );
    const wide = mine((await store.verify({ batchSize: 4 })).broken);
    const narrow = mine((await store.verify({ batchSize: 4, headCacheSize: 1 })).broken);
    const byStream = (list: typeof wide) => [...list].sort((a, b) => a.streamId.localeCompare(b.streamId));
    expect(byStream(narrow)).toEqual(byStream(wide));
    const finding = (streamId: string | undefined) => wide.find((b) => b.streamId === streamId);
    expect(finding(altered)).toMatchObject({ version: 3 });
    expect(finding(altered)?.reason).toContain('altered');
    expect(finding(truncated)?.reason).toContain('does not match its last stored event (version 5)');
    expect(finding(rowless)?.reason).toContain('stream row is missing');
    // The stream-by-stream check of one stream agrees.
    const single = (await store.verify({ streamId: altered })).broken;
    expect(single.map((b) => [b.version, b.reason])).toEqual([[3, finding(altered)?.reason]]);
  });
});

/**
 * On PostgreSQL the per-event work may be spread over worker threads reading their own ranges of
 * the log (issue 20): whatever was tampered with, they must report exactly what the calling thread
 * reports, hand on the same pages with the same Merkle leaves, and the tail appended after the
 * ranges were cut must be read too.
 */
describe.each(backends.filter((b) => b === 'postgres'))('the whole-log verify in worker threads on %s', (backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;
  const ids = Array.from({ length: 6 }, () => `threads-${randomUUID()}`);
  const onThreads = { parallel: { threads: 2, minEvents: 0 } };
  const onCaller = { parallel: { threads: 1 } };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = new SqlEventStore(database, { macKey: KEY });
    for (let round = 0; round < 4; round++) {
      for (const id of ids) await store.append(id, [newEvent('A', { round }), newEvent('B', { round, ü: 'é' })], round === 0 ? 'no_stream' : round * 2);
    }
  });
  afterAll(async () => database?.close());

  it('hands on the same pages, leaves included, as the calling thread', async () => {
    const pages = async (options: object) => {
      const seen: Array<{ eventId: string; hash: string; leaf: string | undefined }> = [];
      const report = await store.verify({
        batchSize: 7,
        ...options,
        onPage: (page) => void seen.push(...page.map((e) => ({ eventId: e.eventId, hash: e.hash, leaf: e.leaf?.toString('hex') }))),
      });
      return { report, seen };
    };
    const threads = await pages(onThreads);
    const caller = await pages(onCaller);
    expect(threads.seen).toEqual(caller.seen);
    expect(threads.seen.every((e) => e.leaf !== undefined && e.leaf.length === 64)).toBe(true);
    expect(threads.report).toEqual(caller.report);
  });

  it('reports every kind of tampering exactly as the calling thread does', async () => {
    const [altered, relinked, forged, truncated, rowless, erased] = ids;
    await asDba(
      database.db,
      sql`update es_events set data = '{"round":99}'::jsonb where stream_id = ${altered} and version = 3`,
      sql`update es_events set prev_hash = ${'0'.repeat(64)} where stream_id = ${relinked} and version = 5`,
      sql`update es_events set mac = ${'f'.repeat(64)} where stream_id = ${forged} and version = 2`,
      sql`delete from es_events where stream_id = ${truncated} and version = 8`,
      sql`delete from es_streams where stream_id = ${rowless}`,
      sql`delete from es_events where stream_id = ${erased}`,
      sql`delete from es_streams where stream_id = ${erased}`,
    );
    const threads = await store.verify({ batchSize: 3, ...onThreads });
    const caller = await store.verify({ batchSize: 3, ...onCaller });
    expect(threads).toEqual(caller);
    const reasons = (streamId: string | undefined) => threads.broken.filter((b) => b.streamId === streamId).map((b) => b.reason);
    expect(reasons(altered).join()).toContain('altered');
    expect(reasons(relinked).join()).toContain('previous-hash');
    expect(reasons(forged).join()).toContain('MAC does not match');
    expect(reasons(truncated).join()).toContain('does not match its last stored event');
    expect(reasons(rowless).join()).toContain('stream row is missing');
    expect(threads.broken.some((b) => b.streamId.startsWith('(accumulator shard'))).toBe(true);
  });
});

/**
 * On PostgreSQL a long log's pages are read on two pooled connections at once, ranges of a page
 * cut in advance, and the MACs computed on a thread of their own (issue 20): whatever was
 * tampered with, in any range, on either side of a border between two ranges or in the tail past
 * the last one, the report and the pages handed on must be exactly those of one connection
 * reading page after page with the MACs on the calling thread.
 */
describe.each(backends.filter((b) => b === 'postgres'))('the whole-log verify on split reads and a MAC thread on %s', (backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;
  const ids = Array.from({ length: 12 }, () => `split-${randomUUID()}`);
  const BATCH = 4;
  const split = { batchSize: BATCH, parallel: { threads: 1, readers: 2, macThread: true, minEvents: 0 } };
  const single = { batchSize: BATCH, parallel: { threads: 1, readers: 1, macThread: false, minEvents: 0 } };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = new SqlEventStore(database, { macKey: KEY });
    // Round-robin appends: neighbours in the log's order are events of different streams.
    for (let round = 0; round < 3; round++) {
      for (const id of ids) await store.append(id, [newEvent('A', { round, ü: 'é' })], round === 0 ? 'no_stream' : round);
    }
    await store.append(ids[0]!, [newEvent('B', { tail: true })], 3);
  });
  afterAll(async () => database?.close());

  /**
   * Ranges are cut only below the gap-safe bound: wait until every row is (a transaction of any
   * test on the server that started before the last append holds the bound back meanwhile).
   */
  async function allBelowTheBound(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const above = await sql<{ n: string }>`
        select count(*) as n from es_events where transaction_id >= ${sql.raw(GAP_SAFE_BOUND)}`.execute(database.db);
      if (Number(above.rows[0]!.n) === 0) return;
      if (Date.now() > deadline) throw new Error(`${above.rows[0]!.n} events still past the gap-safe bound: no range to split the reads into`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The log in its order, numbered from 1 as the ranges are cut (every BATCH-th row ends one). */
  const numbered = async () =>
    (
      await sql<{ n: string; event_id: string; stream_id: string; version: string }>`
        select row_number() over (order by transaction_id, global_position) as n, event_id::text, stream_id, version::text from es_events`.execute(database.db)
    ).rows.map((r) => ({ ...r, n: Number(r.n), version: Number(r.version) }));

  const pagesOf = async (options: typeof split) => {
    const seen: Array<{ eventId: string; hash: string; leaf: string | undefined }> = [];
    const report = await store.verify({
      ...options,
      onPage: (page) => void seen.push(...page.map((e) => ({ eventId: e.eventId, hash: e.hash, leaf: e.leaf?.toString('hex') }))),
    });
    return { report, seen };
  };

  it('hands on the same pages, leaves included, and a clean report', async () => {
    await allBelowTheBound();
    const two = await pagesOf(split);
    const one = await pagesOf(single);
    expect(two.seen).toEqual(one.seen);
    expect(two.seen.map((e) => e.eventId)).toEqual((await numbered()).map((e) => e.event_id));
    expect(two.report).toEqual(one.report);
    expect(two.report.broken).toEqual([]);
  });

  it('reports every tampering at range borders, inside ranges and in the tail exactly as one connection does', async () => {
    await allBelowTheBound();
    const log = await numbered();
    const rangeCount = Math.floor(log.length / BATCH);
    expect(log.length % BATCH).not.toBe(0); // a tail past the last range
    // The last event of the second range and the first of the third, one in the middle of the
    // first range, the log's last event (in the tail): four different streams.
    const endOfRange = log[2 * BATCH - 1]!;
    const startOfRange = log[2 * BATCH]!;
    const inside = log[1]!;
    const tail = log[log.length - 1]!;
    expect(tail.n).toBeGreaterThan(rangeCount * BATCH);
    expect(new Set([endOfRange, startOfRange, inside, tail].map((e) => e.stream_id)).size).toBe(4);
    const untouched = ids.filter((id) => ![endOfRange, startOfRange, inside, tail].some((e) => e.stream_id === id));
    const [headForged, erased, recordedMoved] = untouched;
    await asDba(
      database.db,
      sql`update es_events set data = '{"round":99}'::jsonb where event_id = ${endOfRange.event_id}::uuid`,
      sql`update es_events set data_jcs = '{"round":99}' where event_id = ${startOfRange.event_id}::uuid`,
      sql`update es_events set mac = ${'f'.repeat(64)} where event_id = ${inside.event_id}::uuid`,
      sql`update es_events set prev_hash = ${'0'.repeat(64)} where event_id = ${tail.event_id}::uuid`,
      sql`update es_streams set head_mac = ${'e'.repeat(64)} where stream_id = ${headForged}`,
      sql`delete from es_events where stream_id = ${erased}`,
      sql`delete from es_streams where stream_id = ${erased}`,
      sql`update es_events set recorded_at = recorded_at - interval '1 day' where stream_id = ${recordedMoved} and version = 2`,
    );
    const two = await store.verify(split);
    const one = await store.verify(single);
    expect(two).toEqual(one);
    const reasons = (streamId: string | undefined) => two.broken.filter((b) => b.streamId === streamId).map((b) => `${b.version} ${b.reason}`);
    expect(reasons(endOfRange.stream_id)).toEqual([`${endOfRange.version} content does not match its hash: the event was altered`]);
    expect(reasons(startOfRange.stream_id)).toEqual([`${startOfRange.version} content does not match its hash: the event was altered`]);
    expect(reasons(inside.stream_id)).toEqual([`${inside.version} MAC does not match: this row was not written by the service`]);
    expect(reasons(tail.stream_id).join()).toContain('previous-hash does not match');
    expect(reasons(headForged)).toEqual(['3 stream head MAC does not match: the head was not written by the service']);
    expect(reasons(recordedMoved)).toEqual(['2 recorded_at differs from the recorded-at in its hashed metadata']);
    expect(two.broken.some((b) => b.streamId.startsWith('(accumulator shard'))).toBe(true);
  });

  it('reads rows that cannot be hashed from their bytes (ids JSON escapes, no text, a text not JSON, an odd recorded_at) as one connection does', async () => {
    const quoted = `split-"q\\-${randomUUID()}`;
    const control = `split-\u0007-${randomUUID()}`;
    const legacy = `split-legacy-${randomUUID()}`;
    const notJson = `split-text-${randomUUID()}`;
    const oldDate = `split-date-${randomUUID()}`;
    for (const id of [quoted, control, legacy, notJson, oldDate]) {
      await store.append(id, [newEvent('A', { n: 1 }), newEvent('A', { n: 2 })], 'no_stream');
    }
    // Enough after them that they lie in ranges, not in the tail past the last one.
    for (let i = 0; i < 4; i++) await store.append(`split-after-${randomUUID()}`, [newEvent('A', { i })], 'no_stream');
    await asDba(
      database.db,
      // Written before 0177 (no texts, its data as jsonb), as a log migrated from then holds it.
      sql`update es_events set data = data_jcs::jsonb, data_jcs = null, metadata_jcs = null where stream_id = ${legacy} and version = 1`,
      sql`update es_events set data_jcs = null, data = '{"n":3}'::jsonb where stream_id = ${legacy} and version = 2`,
      sql`update es_events set data_jcs = '{not json' where stream_id = ${notJson} and version = 1`,
      sql`update es_events set recorded_at = timestamptz '0999-06-01 00:00:00+00' where stream_id = ${oldDate} and version = 2`,
    );
    await allBelowTheBound();
    const log = await numbered();
    const rangeEnd = Math.floor(log.length / BATCH) * BATCH;
    for (const id of [quoted, control, legacy, notJson, oldDate]) {
      expect(log.filter((e) => e.stream_id === id).every((e) => e.n <= rangeEnd)).toBe(true);
    }
    const two = await store.verify(split);
    const one = await store.verify(single);
    expect(two).toEqual(one);
    const reasons = (streamId: string) => two.broken.filter((b) => b.streamId === streamId).map((b) => `${b.version} ${b.reason}`);
    expect(reasons(quoted)).toEqual([]);
    expect(reasons(control)).toEqual([]);
    expect(reasons(legacy)).toEqual(['2 content does not match its hash: the event was altered']);
    expect(reasons(notJson)).toEqual(['1 content does not match its hash: the event was altered']);
    expect(reasons(oldDate)).toEqual(['2 recorded_at differs from the recorded-at in its hashed metadata']);
  });
});
