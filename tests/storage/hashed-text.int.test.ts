import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as backfill from '../../migrations/0178_event_hashed_text_backfill';
import * as keptOnce from '../../migrations/0191_event_data_kept_once';
import type { BrokenLink, RecordedEvent } from '../../src/application/event-store';
import { canonicalJson, chainedHash } from '../../src/application/hash-chain';
import { AlteredEventError, SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { asDba } from '../support/tamper';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const backends = await availableBackends();
const KEY = Buffer.from('6b'.repeat(32), 'hex');
const ALTERED = 'content does not match its hash: the event was altered';

interface StoredRow {
  event_id: string;
  stream_id: string;
  version: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  data_jcs: string | null;
  metadata_jcs: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * The log keeps each event's data and metadata as the text that was hashed (0177), and the
 * whole-log verify hashes that text instead of the jsonb (issue 20). Seen as a database
 * administrator would attack it: whatever is edited (the jsonb projections read, the text verify
 * hashes, both, a text that is not JSON, the text removed), the event is reported as altered, by
 * the whole-log verify (on the calling thread and on worker threads) and by the stream's own.
 */
describe.each(backends)('the hashed text of events on %s', (backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;
  const ids: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = new SqlEventStore(database, { macKey: KEY });
  });
  afterAll(async () => database?.close());

  /** A new stream of two events; its id is one of this file's. */
  async function stream(data: Record<string, unknown> = { amount: 100, note: '低保复核' }): Promise<{ id: string; events: RecordedEvent[] }> {
    const id = `text-${randomUUID()}`;
    ids.push(id);
    const { events } = await store.append(id, [newEvent('A', data), newEvent('B', { amount: 1 })], 'no_stream');
    return { id, events };
  }

  const rowsOf = async (id: string) =>
    (
      await sql<StoredRow>`select event_id, stream_id, version::text as version, type, schema_version, data, metadata, data_jcs, metadata_jcs, prev_hash, hash
        from es_events where stream_id = ${id} order by version`.execute(database.db)
    ).rows;

  /** This file's findings of a whole-log verify, without the accumulator shards (other files' streams share them). */
  async function wholeLog(threads = 1): Promise<BrokenLink[]> {
    const report = await store.verify({ batchSize: 7, parallel: { threads, minEvents: 0 } });
    return report.broken.filter((b) => ids.includes(b.streamId)).sort((a, b) => a.streamId.localeCompare(b.streamId) || a.reason.localeCompare(b.reason));
  }

  it('writes with every append the canonical JSON that was hashed, one stream or many in a statement', async () => {
    const { id } = await stream({ z: 1, a: [1.5, '二'], nested: { b: null, a: true } });
    const many = [`text-${randomUUID()}`, `text-${randomUUID()}`];
    ids.push(...many);
    expect(
      await store.appendMany(many.map((streamId) => ({ streamId, events: [newEvent('C', { k: streamId, n: 2 })], expected: 'no_stream' as const }))),
    ).not.toBeNull();
    const rows = [...(await rowsOf(id)), ...(await rowsOf(many[0]!)), ...(await rowsOf(many[1]!))];
    const read = new Map((await store.readStream(id)).map((e) => [e.eventId, e]));
    for (const row of rows) {
      // The data is kept once, as its hashed text (0191); metadata also as jsonb.
      expect(row.data).toBeNull();
      expect(canonicalJson(JSON.parse(row.data_jcs!))).toBe(row.data_jcs);
      expect(row.metadata_jcs).toBe(canonicalJson(row.metadata));
      if (read.has(row.event_id)) expect(canonicalJson(read.get(row.event_id)!.data)).toBe(row.data_jcs);
      const fromText = chainedHash({
        streamId: row.stream_id,
        eventId: row.event_id,
        version: Number(row.version),
        type: row.type,
        schemaVersion: row.schema_version,
        prevHash: row.prev_hash,
        dataJson: row.data_jcs!,
        metadataJson: row.metadata_jcs!,
      });
      expect(fromText).toBe(row.hash);
    }
    expect(await wholeLog()).toEqual([]);
  });

  it('finds a jsonb beside the text that differs from it (data written before 0191, or metadata)', async () => {
    const data = await stream();
    const metadata = await stream();
    await asDba(
      database.db,
      sql`update es_events set data = '{"amount":1000000,"note":"低保复核"}'::jsonb where stream_id = ${data.id} and version = 1`,
      sql`update es_events set metadata = jsonb_set(metadata, '{actorId}', '"someone-else"') where stream_id = ${metadata.id} and version = 2`,
    );
    const found = (await wholeLog()).filter((b) => b.streamId === data.id || b.streamId === metadata.id);
    expect(found).toEqual(
      [
        { streamId: data.id, version: 1, eventId: data.events[0]!.eventId, reason: ALTERED },
        { streamId: metadata.id, version: 2, eventId: metadata.events[1]!.eventId, reason: ALTERED },
      ].sort((a, b) => a.streamId.localeCompare(b.streamId)),
    );
    expect((await store.verify({ streamId: data.id })).broken).toEqual([{ streamId: data.id, version: 1, eventId: data.events[0]!.eventId, reason: ALTERED }]);
  });

  it('finds an edit of the text alone, even one that parses to the same jsonb (the text is what was hashed)', async () => {
    const changed = await stream();
    const respaced = await stream();
    await asDba(
      database.db,
      sql`update es_events set data_jcs = '{"amount":1000000,"note":"低保复核"}' where stream_id = ${changed.id} and version = 1`,
      sql`update es_events set data_jcs = '{"amount": 100, "note": "低保复核"}' where stream_id = ${respaced.id} and version = 1`,
    );
    const found = (await wholeLog()).filter((b) => b.streamId === changed.id || b.streamId === respaced.id);
    expect(found.map((b) => [b.streamId, b.version, b.reason])).toEqual(
      [
        [changed.id, 1, ALTERED],
        [respaced.id, 1, ALTERED],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect((await store.verify({ streamId: changed.id })).broken.map((b) => [b.version, b.reason])).toEqual([[1, ALTERED]]);
  });

  it('finds the jsonb and the text edited alike (the hash), and with the hash recomputed too (the MAC)', async () => {
    const alike = await stream();
    const rehashed = await stream();
    await asDba(
      database.db,
      sql`update es_events set data = '{"amount":1000000}'::jsonb, data_jcs = '{"amount":1000000}' where stream_id = ${alike.id} and version = 1`,
    );
    const [first] = await rowsOf(rehashed.id);
    const forgedHash = chainedHash({
      streamId: rehashed.id,
      eventId: first!.event_id,
      version: 1,
      type: first!.type,
      schemaVersion: first!.schema_version,
      prevHash: first!.prev_hash,
      dataJson: '{"amount":1000000}',
      metadataJson: first!.metadata_jcs!,
    });
    await asDba(
      database.db,
      sql`update es_events set data = '{"amount":1000000}'::jsonb, data_jcs = '{"amount":1000000}', hash = ${forgedHash} where stream_id = ${rehashed.id} and version = 1`,
      sql`update es_events set prev_hash = ${forgedHash} where stream_id = ${rehashed.id} and version = 2`,
    );
    const found = await wholeLog();
    expect(found.filter((b) => b.streamId === alike.id).map((b) => [b.version, b.reason])).toEqual([[1, ALTERED]]);
    // Version 2's content (its prev_hash) changed too: its hash no longer matches either.
    expect(found.filter((b) => b.streamId === rehashed.id).map((b) => b.reason)).toEqual(
      expect.arrayContaining([expect.stringContaining('MAC does not match'), expect.stringContaining('altered')]),
    );
  });

  it('reports a text that is not JSON as an altered event, not as a verify that failed', async () => {
    const broken = await stream();
    await asDba(database.db, sql`update es_events set data_jcs = '{"amount":' where stream_id = ${broken.id} and version = 1`);
    expect((await wholeLog()).filter((b) => b.streamId === broken.id)).toEqual([
      { streamId: broken.id, version: 1, eventId: broken.events[0]!.eventId, reason: ALTERED },
    ]);
    expect((await store.verify({ streamId: broken.id })).broken.map((b) => [b.version, b.reason])).toEqual([[1, ALTERED]]);
    // A read stops with the reason (the text is the data's only copy), not with a parser's message.
    await expect(store.readStream(broken.id)).rejects.toThrow(AlteredEventError);
    await expect(store.readStream(broken.id)).rejects.toThrow(/altered outside the service/);
  });

  it('verifies a row without its text (written before 0177) from its jsonb, as before: clean, or altered when the jsonb is', async () => {
    const old = await stream();
    const oldAltered = await stream();
    await asDba(
      database.db,
      // As written before 0177: no texts, the data as jsonb.
      sql`update es_events set data = data_jcs::jsonb, data_jcs = null, metadata_jcs = null where stream_id in (${old.id}, ${oldAltered.id})`,
      sql`update es_events set data = '{"amount":1000000}'::jsonb where stream_id = ${oldAltered.id} and version = 1`,
    );
    const found = await wholeLog();
    expect(found.filter((b) => b.streamId === old.id)).toEqual([]);
    expect(found.filter((b) => b.streamId === oldAltered.id).map((b) => [b.version, b.reason])).toEqual([[1, ALTERED]]);
    // Only the metadata's text removed, its jsonb left alone: nothing was altered, nothing is lost.
    const textless = await stream();
    await asDba(database.db, sql`update es_events set metadata_jcs = null where stream_id = ${textless.id}`);
    expect((await wholeLog()).filter((b) => b.streamId === textless.id)).toEqual([]);
    // The data's text removed: it was the only copy of the data (0191), the event is altered.
    const dataless = await stream();
    await asDba(database.db, sql`update es_events set data_jcs = null where stream_id = ${dataless.id} and version = 1`);
    expect((await wholeLog()).filter((b) => b.streamId === dataless.id).map((b) => [b.version, b.reason])).toEqual([[1, ALTERED]]);
    expect((await store.verify({ streamId: dataless.id })).broken.map((b) => [b.version, b.reason])).toEqual([[1, ALTERED]]);
  });

  it('backfills (0178) exactly the text the append wrote, every row across pages, and keeps an altered row altered', async () => {
    const kept = await stream({ b: [1, { d: '丙', c: 2e-7 }], a: 'x' });
    const altered = await stream();
    // Enough rows that pages of 3 cross positions of one digit more (9 → 10, 99 → 100).
    const more: string[] = [];
    for (let i = 0; i < 50; i++) more.push((await stream({ i })).id);
    const textOf = async () =>
      (
        await sql<{ event_id: string; data_jcs: string | null; metadata_jcs: string | null }>`
          select event_id, data_jcs, metadata_jcs from es_events where stream_id = any(${[kept.id, ...more]}::text[]) order by event_id`.execute(database.db)
      ).rows;
    const before = await textOf();
    await asDba(
      database.db,
      // As written before 0177: no texts, the data as jsonb.
      sql`update es_events set data = data_jcs::jsonb, data_jcs = null, metadata_jcs = null where stream_id = any(${[kept.id, altered.id, ...more]}::text[])`,
      sql`update es_events set data = '{"amount":1000000}'::jsonb where stream_id = ${altered.id} and version = 1`,
    );
    await database.db.transaction().execute(async (trx) => backfill.backfillHashedText(trx, 3));
    expect(await textOf()).toEqual(before);
    expect(before.every((r) => r.data_jcs !== null && r.metadata_jcs !== null)).toBe(true);
    const found = await wholeLog();
    expect(found.filter((b) => b.streamId === kept.id)).toEqual([]);
    expect(found.filter((b) => b.streamId === altered.id).map((b) => [b.version, b.reason])).toEqual([[1, ALTERED]]);
    // The migration's permission to rewrite ended with it.
    await expect(sql`update es_events set data_jcs = data_jcs where stream_id = ${kept.id}`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it('drops (0191) the jsonb copy of data equal to its text, across pages, and keeps a differing copy for the verify to report', async () => {
    // Logs written before 0191 hold each event's data twice: as jsonb and as its hashed text.
    const copies: string[] = [];
    for (let i = 0; i < 20; i++) copies.push((await stream({ i, note: '低保复核', nested: { b: [1, 2e-7], a: null } })).id);
    const differing = await stream();
    await asDba(
      database.db,
      sql`update es_events set data = data_jcs::jsonb where stream_id = any(${copies}::text[])`,
      sql`update es_events set data = '{"amount":1000000}'::jsonb where stream_id = ${differing.id} and version = 1`,
    );
    const before = await Promise.all(copies.map((id) => store.readStream(id)));
    const mine = async () => (await wholeLog()).filter((b) => b.streamId === differing.id || copies.includes(b.streamId));
    expect(await mine()).toEqual([{ streamId: differing.id, version: 1, eventId: differing.events[0]!.eventId, reason: ALTERED }]);
    await database.db.transaction().execute(async (trx) => keptOnce.dropDataCopies(trx, 3));
    const kept = await sql<{ stream_id: string; version: string; data: unknown }>`
      select stream_id, version::text as version, data from es_events where stream_id = any(${[...copies, differing.id]}::text[]) and data is not null`.execute(
      database.db,
    );
    expect(kept.rows).toEqual([{ stream_id: differing.id, version: '1', data: { amount: 1000000 } }]);
    expect(await Promise.all(copies.map((id) => store.readStream(id)))).toEqual(before);
    expect(await mine()).toEqual([{ streamId: differing.id, version: 1, eventId: differing.events[0]!.eventId, reason: ALTERED }]);
    // The migration's permission to rewrite ended with it.
    await expect(sql`update es_events set data = null where stream_id = ${differing.id}`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it('checks recorded_at in the page query exactly as the stream-by-stream verify checks it here', async () => {
    // The page query compares the column, written as toISOString writes it, with the metadata's
    // recorded-at; what it cannot vouch for comes over and is checked here, as before.
    const [earlier, christBC, farFuture, microseconds, metadataToo] = [await stream(), await stream(), await stream(), await stream(), await stream()];
    await asDba(
      database.db,
      sql`update es_events set recorded_at = recorded_at - interval '1 day' where stream_id = ${earlier.id} and version = 1`,
      // The same digits before Christ: to_char writes the same year, the instant is not the same.
      sql`update es_events set recorded_at = (to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || ' BC')::timestamp at time zone 'UTC'
          where stream_id = ${christBC.id} and version = 1`,
      sql`update es_events set recorded_at = recorded_at + interval '10000 years' where stream_id = ${farFuture.id} and version = 2`,
      // Below the millisecond the hashed recorded-at (and toISOString) does not see: no finding, as before.
      sql`update es_events set recorded_at = recorded_at + interval '999 microseconds' where stream_id = ${microseconds.id} and version = 1`,
      sql`update es_events set metadata = jsonb_set(metadata, '{recordedAt}', to_jsonb('2020-01-01T00:00:00.000Z'::text)) where stream_id = ${metadataToo.id} and version = 1`,
    );
    const found = await wholeLog();
    const reasonsOf = (id: string) => found.filter((b) => b.streamId === id).map((b) => [b.version, b.reason]);
    for (const { id } of [earlier, christBC, farFuture, microseconds, metadataToo]) {
      expect(reasonsOf(id)).toEqual((await store.verify({ streamId: id })).broken.map((b) => [b.version, b.reason]));
    }
    expect(reasonsOf(earlier.id)).toEqual([[1, 'recorded_at differs from the recorded-at in its hashed metadata']]);
    // (The driver makes no valid Date of it on PGlite: 'Invalid Date'; on PostgreSQL a negative year.)
    expect(reasonsOf(christBC.id)).toEqual([[1, expect.stringMatching(/^recorded_at \((Invalid Date|-\d{6}-.*)\) is not a valid instant$/)]]);
    expect(reasonsOf(farFuture.id)).toEqual([[2, expect.stringMatching(/^recorded_at \(\+\d{6}-.*\) is not a valid instant$/)]]);
    expect(reasonsOf(microseconds.id)).toEqual([]);
    expect(reasonsOf(metadataToo.id)).toEqual([[1, ALTERED]]);
  });

  it.runIf(backend === 'postgres')('reports on worker threads exactly what the calling thread reports', async () => {
    const calling = await wholeLog(1);
    expect(calling.length).toBeGreaterThan(5);
    expect(await wholeLog(2)).toEqual(calling);
  });
});
