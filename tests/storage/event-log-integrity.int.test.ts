import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/application/clock';
import { InvalidRecordedAtError, type RecordedEvent } from '../../src/application/event-store';
import { canonicalJson, eventHash } from '../../src/application/hash-chain';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { asDba } from '../support/tamper';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const backends = await availableBackends();
const KEY = Buffer.from('c3'.repeat(32), 'hex');

describe.each(backends)('event log integrity on %s', (backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = new SqlEventStore(database, { macKey: KEY });
  });
  afterAll(async () => database?.close());

  const stream = () => `integrity-${randomUUID()}`;
  const count = async () => Number((await sql<{ n: string }>`select count(*) as n from es_events`.execute(database.db)).rows[0]!.n);

  /** A row as an attacker would write it: the published hash algorithm, chained to `prev`. */
  function forged(streamId: string, version: number, prevHash: string, data: Record<string, unknown>, base?: RecordedEvent) {
    const event = base ?? { ...newEvent('Forged', data), streamId, version };
    const metadata = { ...event.metadata, recordedAt: '2026-01-15T08:00:00.000Z' };
    const hash = eventHash({ streamId, eventId: event.eventId, version, type: event.type, schemaVersion: 1, data, metadata, prevHash });
    return { eventId: event.eventId, type: event.type, data, metadata, hash, prevHash };
  }

  describe('the database refuses what the append path never does', () => {
    it('refuses UPDATE, DELETE and TRUNCATE on the log', async () => {
      const id = stream();
      await store.append(id, [newEvent('A')], 'no_stream');
      await expect(sql`update es_events set data = '{}'::jsonb where stream_id = ${id}`.execute(database.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from es_events where stream_id = ${id}`.execute(database.db)).rejects.toThrow(/append-only/);
      await expect(sql`truncate es_events cascade`.execute(database.db)).rejects.toThrow(/append-only/);
      expect(await store.readStream(id)).toHaveLength(1);
    });

    it('refuses deleting stream heads or accumulators, and a head moving backwards', async () => {
      const id = stream();
      await store.append(id, [newEvent('A'), newEvent('B')], 'no_stream');
      await expect(sql`delete from es_streams where stream_id = ${id}`.execute(database.db)).rejects.toThrow(/append-only/);
      await expect(sql`truncate es_streams cascade`.execute(database.db)).rejects.toThrow(/append-only/);
      await expect(sql`update es_streams set version = 1 where stream_id = ${id}`.execute(database.db)).rejects.toThrow(/only moves forward/);
      await expect(sql`delete from es_mac_shards`.execute(database.db)).rejects.toThrow(/append-only/);
      await expect(sql`update es_position_base set base = base - 1`.execute(database.db)).rejects.toThrow(/append-only/);
      expect(await store.streamVersion(id)).toBe(2);
    });

    it('lets a migration rewrite rows only when it says so explicitly', async () => {
      const id = stream();
      await store.append(id, [newEvent('A', { n: 1 })], 'no_stream');
      await database.db.transaction().execute(async (trx) => {
        await sql`set local es.allow_rewrite = 'test: upcast A in place'`.execute(trx);
        await sql`update es_events set schema_version = 1 where stream_id = ${id}`.execute(trx);
      });
      await expect(sql`update es_events set schema_version = 1 where stream_id = ${id}`.execute(database.db)).rejects.toThrow(/append-only/);
    });

    it('refuses an event whose stream row does not exist (foreign key)', async () => {
      const e = forged('no-such-stream', 1, '0'.repeat(64), {});
      await expect(
        sql`insert into es_events (event_id, stream_id, version, type, schema_version, data, metadata, recorded_at, prev_hash, hash, mac)
            values (${e.eventId}::uuid, 'no-such-stream', 1, 'Forged', 1, '{}'::jsonb, ${JSON.stringify(e.metadata)}::jsonb, now(), ${e.prevHash}, ${e.hash}, 'x')`.execute(
          database.db,
        ),
      ).rejects.toThrow(/foreign key/);
    });
  });

  describe('tampering by a DBA (triggers off) after the last signed head is caught by the chains or the MACs', () => {
    it('the last event deleted and the stream row fixed: the head MAC fails and the shard is short', async () => {
      const id = stream();
      const { events } = await store.append(id, [newEvent('A'), newEvent('B')], 'no_stream');
      await asDba(
        database.db,
        sql`delete from es_events where stream_id = ${id} and version = 2`,
        sql`update es_streams set version = 1, last_hash = ${events[0]!.hash}, last_recorded_at = ${events[0]!.recordedAt}::timestamptz where stream_id = ${id}`,
      );
      const report = await store.verify();
      expect(report.broken).toContainEqual(expect.objectContaining({ streamId: id, reason: expect.stringContaining('head MAC') }));
      expect(report.broken).toContainEqual(
        expect.objectContaining({ streamId: expect.stringContaining('accumulator shard'), reason: expect.stringContaining('deleted') }),
      );
      expect((await store.verify({ streamId: id })).broken).toEqual([expect.objectContaining({ streamId: id, reason: expect.stringContaining('head MAC') })]);
    });

    it('only the stream row deleted: the stream is named', async () => {
      const id = stream();
      await store.append(id, [newEvent('A')], 'no_stream');
      await asDba(database.db, sql`delete from es_streams where stream_id = ${id}`);
      expect((await store.verify()).broken).toContainEqual({
        streamId: id,
        version: 0,
        eventId: null,
        reason: expect.stringContaining('stream row is missing'),
      });
    });

    it('a whole stream deleted (events and stream row): its shard no longer adds up', async () => {
      const id = stream();
      await store.append(id, [newEvent('A'), newEvent('B'), newEvent('C')], 'no_stream');
      const shardBreaks = async () => (await store.verify()).broken.filter((b) => b.streamId.startsWith('(accumulator'));
      const before = await shardBreaks();
      await asDba(database.db, sql`delete from es_events where stream_id = ${id}`, sql`delete from es_streams where stream_id = ${id}`);
      const after = await shardBreaks();
      const changed = after.filter((b) => !before.some((x) => x.streamId === b.streamId && x.reason === b.reason));
      expect(changed).toEqual([expect.objectContaining({ eventId: null, reason: expect.stringContaining('deleted or forged') })]);
    });

    it('a forged event appended with a valid hash: its MAC fails and the event is named', async () => {
      const id = stream();
      const { events } = await store.append(id, [newEvent('A', { amount: 1 })], 'no_stream');
      const f = forged(id, 2, events[0]!.hash, { amount: 1_000_000 });
      await asDba(
        database.db,
        sql`insert into es_events (event_id, stream_id, version, type, schema_version, data, metadata, recorded_at, prev_hash, hash, mac)
            values (${f.eventId}::uuid, ${id}, 2, 'Forged', 1, ${JSON.stringify(f.data)}::jsonb, ${JSON.stringify(f.metadata)}::jsonb, ${f.metadata.recordedAt}::timestamptz, ${f.prevHash}, ${f.hash}, ${'0'.repeat(64)})`,
        sql`update es_streams set version = 2, last_hash = ${f.hash} where stream_id = ${id}`,
      );
      const mine = (await store.verify({ streamId: id })).broken;
      expect(mine).toContainEqual({ streamId: id, version: 2, eventId: f.eventId, reason: expect.stringContaining('MAC does not match') });
      expect(mine).toContainEqual(expect.objectContaining({ streamId: id, reason: expect.stringContaining('head MAC') }));
    });

    it('one event rewritten with every later hash recomputed: each rewritten row is named by its MAC', async () => {
      const id = stream();
      const { events } = await store.append(id, [newEvent('A', { amount: 100 }), newEvent('B', { amount: 200 }), newEvent('C', { amount: 300 })], 'no_stream');
      const second = forged(id, 2, events[0]!.hash, { amount: 150 }, events[1]);
      const third = forged(id, 3, second.hash, events[2]!.data, events[2]);
      // The MAC of another row copied along does not help: it covers that row's hash.
      await asDba(
        database.db,
        // The attacker keeps the stored hashed text in step with the jsonb (else that alone gives them away).
        sql`update es_events set data = ${JSON.stringify(second.data)}::jsonb, metadata = ${JSON.stringify(second.metadata)}::jsonb,
              data_jcs = ${canonicalJson(second.data)}, metadata_jcs = ${canonicalJson(second.metadata)},
              hash = ${second.hash}, mac = ${await macOf(events[0]!.eventId)} where event_id = ${second.eventId}::uuid`,
        sql`update es_events set metadata = ${JSON.stringify(third.metadata)}::jsonb, metadata_jcs = ${canonicalJson(third.metadata)},
              prev_hash = ${second.hash}, hash = ${third.hash} where event_id = ${third.eventId}::uuid`,
        sql`update es_streams set last_hash = ${third.hash} where stream_id = ${id}`,
      );
      const mine = (await store.verify({ streamId: id })).broken;
      expect(mine.filter((b) => b.eventId !== null && b.reason.includes('MAC does not match')).map((b) => b.eventId)).toEqual([second.eventId, third.eventId]);
      expect(mine).toContainEqual(expect.objectContaining({ streamId: id, eventId: null, reason: expect.stringContaining('head MAC') }));
      expect(mine.some((b) => b.reason.includes('altered'))).toBe(false); // the chain itself is consistent
    });

    it('a store with another key finds every row foreign: the key, not the database, vouches for rows', async () => {
      const id = stream();
      await store.append(id, [newEvent('A')], 'no_stream');
      const stranger = new SqlEventStore(database, { macKey: Buffer.alloc(32, 7) });
      expect((await stranger.verify({ streamId: id })).broken.map((b) => b.reason)).toEqual([
        expect.stringContaining('head MAC'),
        expect.stringContaining('MAC does not match'),
      ]);
    });

    async function macOf(eventId: string): Promise<string> {
      return (await sql<{ mac: string }>`select mac from es_events where event_id = ${eventId}::uuid`.execute(database.db)).rows[0]!.mac;
    }
  });

  describe('recorded-at', () => {
    it.each([
      'infinity',
      '-infinity',
      'now',
      'yesterday',
      '2026-01-15T24:00:00.000Z',
      '2026-02-30T08:00:00.000Z',
      '2026-01-15 08:00',
      '2026-01-15T08:00:60Z',
      '',
    ])('refuses %j before anything is written', async (recordedAt) => {
      const id = stream();
      const before = await count();
      await expect(store.append(id, [newEvent('A'), newEvent('B', {}, { recordedAt })], 'no_stream')).rejects.toBeInstanceOf(InvalidRecordedAtError);
      expect(await count()).toBe(before);
      expect(await store.streamVersion(id)).toBe(0);
    });

    it('comes from one clock per stream that never goes back: two instances 2 s apart never show a state that never existed', async () => {
      const id = stream();
      const ahead = new FixedClock(new Date('2026-03-02T09:00:02.000Z')); // instance A's clock runs 2 s fast
      const behind = new FixedClock(new Date('2026-03-02T09:00:00.500Z')); // instance B, later in real time
      const a = new SqlEventStore(database, { macKey: KEY });
      const b = new SqlEventStore(database, { macKey: KEY });
      await a.append(id, [newEvent('V1', {}, { recordedAt: ahead.now().toISOString() })], 'no_stream');
      const second = await b.append(
        id,
        [newEvent('V2', {}, { recordedAt: behind.now().toISOString() }), newEvent('V3', {}, { recordedAt: '2026-03-02T09:00:00.600Z' })],
        1,
      );
      expect(second.events.map((e) => e.recordedAt)).toEqual(['2026-03-02T09:00:02.000Z', '2026-03-02T09:00:02.000Z']);
      expect(second.events.map((e) => e.metadata.recordedAt)).toEqual(second.events.map((e) => e.recordedAt));
      // As of a moment between the two clocks: either nothing or version 1, never version 2 alone.
      expect((await a.readStream(id, { asOf: '2026-03-02T09:00:01.000Z' })).map((e) => e.version)).toEqual([]);
      expect((await b.readStream(id, { asOf: '2026-03-02T09:00:02.000Z' })).map((e) => e.version)).toEqual([1, 2, 3]);
      const later = await b.append(id, [newEvent('V4', {}, { recordedAt: '2026-03-02T09:00:05.000Z' })], 3);
      expect(later.events[0]!.recordedAt).toBe('2026-03-02T09:00:05.000Z');
      expect((await store.verify({ streamId: id })).broken).toEqual([]);
    });

    it('a value that is no instant, stored by a DBA, is reported by verify, not thrown', async () => {
      const id = stream();
      const { events } = await store.append(id, [newEvent('A'), newEvent('B')], 'no_stream');
      await asDba(
        database.db,
        sql`alter table es_events drop constraint es_events_recorded_at_finite`,
        sql`update es_events set recorded_at = 'infinity' where event_id = ${events[1]!.eventId}::uuid`,
        sql`alter table es_events add constraint es_events_recorded_at_finite check (isfinite(recorded_at)) not valid`,
      );
      expect((await store.verify({ streamId: id })).broken).toEqual([
        { streamId: id, version: 2, eventId: events[1]!.eventId, reason: expect.stringContaining('not a valid instant') },
      ]);
      expect((await store.readStream(id)).map((e) => e.recordedAt)).toEqual([events[0]!.recordedAt, expect.stringMatching(/^Infinity$|infinity/i)]);
    });
  });
});
