import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifiedEvent } from '../../src/application/event-store';
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
