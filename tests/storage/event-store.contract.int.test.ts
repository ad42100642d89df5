import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateEventIdError, START, WrongExpectedVersionError, type Position, type RecordedEvent } from '../../src/application/event-store';
import { UpcasterRegistry } from '../../src/application/upcasters';
import { EVENTS_CHANNEL } from '../../src/storage/sql-database';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';
import { eventually } from '../support/wait';
import { asDba } from '../support/tamper';

const backends = await availableBackends();
const page2Empty = (page: { events: unknown[] }) => page.events.length === 0;

describe.each(backends)('event store contract on %s', (backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = new SqlEventStore(database);
  });
  afterAll(async () => database?.close());

  const stream = () => `test-${randomUUID()}`;

  async function readEverything(after: Position = START): Promise<RecordedEvent[]> {
    const all: RecordedEvent[] = [];
    let position = after;
    for (;;) {
      const page = await store.readAll(position, 100);
      all.push(...page.events);
      if (page.events.length === 0) return all;
      position = page.next;
    }
  }

  describe('append with an expected version', () => {
    it('creates a stream with no_stream and numbers events from 1', async () => {
      const id = stream();
      const result = await store.append(id, [newEvent('A', { n: 1 }), newEvent('B', { n: 2 })], 'no_stream');
      expect(result.version).toBe(2);
      expect(result.duplicate).toBe(false);
      expect(result.events.map((e) => [e.type, e.version])).toEqual([
        ['A', 1],
        ['B', 2],
      ]);
      expect(await store.streamVersion(id)).toBe(2);
    });

    it('refuses no_stream on an existing stream, carrying the current version', async () => {
      const id = stream();
      await store.append(id, [newEvent('A')], 'no_stream');
      const error = await store.append(id, [newEvent('A')], 'no_stream').catch((e) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect((error as WrongExpectedVersionError).actual).toBe(1);
    });

    it('appends at the exact version and refuses a stale one', async () => {
      const id = stream();
      await store.append(id, [newEvent('A')], 'no_stream');
      await store.append(id, [newEvent('B')], 1);
      const error = await store.append(id, [newEvent('C')], 1).catch((e) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect((error as WrongExpectedVersionError).actual).toBe(2);
      expect((await store.readStream(id)).map((e) => e.type)).toEqual(['A', 'B']);
    });

    it('lets exactly one of many concurrent creators of a new stream win', async () => {
      const id = stream();
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => store.append(id, [newEvent('Created', { i })], 'no_stream')));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof WrongExpectedVersionError)).toHaveLength(4);
      expect(await store.readStream(id)).toHaveLength(1);
      expect((await store.verify({ streamId: id })).broken).toEqual([]);
    });

    it('appends anywhere with any', async () => {
      const id = stream();
      await store.append(id, [newEvent('A')], 'any');
      const result = await store.append(id, [newEvent('B')], 'any');
      expect(result.version).toBe(2);
    });

    it('is atomic: a failed append writes none of its events', async () => {
      const id = stream();
      await store.append(id, [newEvent('A')], 'no_stream');
      const bad = newEvent('B');
      bad.eventId = 'not-a-uuid';
      await expect(store.append(id, [newEvent('B'), bad], 1)).rejects.toThrow();
      expect(await store.streamVersion(id)).toBe(1);
      expect(await store.readStream(id)).toHaveLength(1);
    });

    it('lets exactly one of many concurrent writers at the same version win', async () => {
      const id = stream();
      await store.append(id, [newEvent('A')], 'no_stream');
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => store.append(id, [newEvent('B')], 1)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof WrongExpectedVersionError)).toHaveLength(4);
      expect(await store.streamVersion(id)).toBe(2);
    });
  });

  it('stays correct when another writer moved the stream since this store last saw it (stale head cache)', async () => {
    // Two store instances stand for two service processes: each remembers the heads it saw.
    const other = new SqlEventStore(database);
    const id = stream();
    await store.append(id, [newEvent('A')], 'no_stream');
    expect((await store.readStream(id)).map((e) => e.version)).toEqual([1]);
    await other.append(id, [newEvent('B')], 1);

    const stale = await store.append(id, [newEvent('C')], 1).catch((e) => e);
    expect(stale).toBeInstanceOf(WrongExpectedVersionError);
    expect((stale as WrongExpectedVersionError).actual).toBe(2);
    const fresh = await store.append(id, [newEvent('C')], 2);
    expect(fresh.events.map((e) => e.version)).toEqual([3]);
    expect(fresh.events[0]!.prevHash).toBe((await other.readStream(id))[1]!.hash);
    expect((await store.verify({ streamId: id })).broken).toEqual([]);
  });

  it('chains to the stored head, not a remembered one, when the stream head row changed underneath', async () => {
    const id = stream();
    const first = await store.append(id, [newEvent('A')], 'no_stream');
    // Someone rewrote the head's hash with SQL: the remembered hash no longer matches, so the
    // append must not take the one-statement path on it; it chains to what is stored.
    await sql`update es_streams set last_hash = ${'f'.repeat(64)} where stream_id = ${id}`.execute(database.db);
    const next = await store.append(id, [newEvent('B')], 1);
    expect(first.events[0]!.hash).not.toBe('f'.repeat(64));
    expect(next.events[0]!.prevHash).toBe('f'.repeat(64));
    expect((await store.verify({ streamId: id })).broken.map((b) => b.version)).toEqual([2]);
  });

  it('appends a batch larger than the prepared-statement size, numbered and chained like any other', async () => {
    const id = stream();
    await store.append(id, [newEvent('A')], 'no_stream');
    const big = Array.from({ length: 300 }, (_, i) => newEvent('Bulk', { i }));
    const result = await store.append(id, big, 1);
    expect(result.events.map((e) => e.version)).toEqual(Array.from({ length: 300 }, (_, i) => i + 2));
    const stored = await store.readStream(id);
    expect(stored).toHaveLength(301);
    expect(stored.slice(1).map((e) => [e.eventId, e.position, e.hash])).toEqual(result.events.map((e) => [e.eventId, e.position, e.hash]));
    expect((await store.verify({ streamId: id })).broken).toEqual([]);
  });

  it('returns exactly what a later read gives back (positions, hashes, recorded-at) for appends of every size', async () => {
    const id = stream();
    let version = 0;
    // 9, 17 and 100 are padded up to the prepared statement's 16, 32 and 128 rows.
    for (const size of [1, 2, 7, 1, 3, 9, 17, 100]) {
      const result = await store.append(
        id,
        Array.from({ length: size }, (_, i) => newEvent('Sized', { size, i }, { recordedAt: '2026-01-15T16:00:00+08:00' })),
        version === 0 ? 'no_stream' : version,
      );
      const stored = await store.readStream(id, { fromVersion: version + 1 });
      expect(result.events).toEqual(stored);
      expect(stored[0]!.recordedAt).toBe('2026-01-15T08:00:00.000Z');
      version = result.version;
    }
    expect(version).toBe(140);
    expect((await store.verify({ streamId: id })).broken).toEqual([]);
  });

  it('writes an instant with an offset as the clock writes it, in the hashed metadata and the column alike', async () => {
    const id = stream();
    const result = await store.append(id, [newEvent('B', {}, { recordedAt: '2026-01-16T08:00:00+08:00' })], 'no_stream');
    expect(result.events.map((e) => [e.recordedAt, e.metadata.recordedAt])).toEqual([['2026-01-16T00:00:00.000Z', '2026-01-16T00:00:00.000Z']]);
    expect(await store.readStream(id)).toEqual(result.events);
    expect((await store.verify({ streamId: id })).broken).toEqual([]);
  });

  describe('notifications', () => {
    it('wakes listeners after an append, unless the store is told nobody tails the log', async () => {
      const quiet = new SqlEventStore(database, { notify: false });
      let woken = 0;
      const unlisten = await database.listen(EVENTS_CHANNEL, () => woken++);
      try {
        // A new LISTEN connection wakes its listeners once, and earlier tests' notices may still arrive.
        await new Promise((r) => setTimeout(r, 200));
        woken = 0;
        await quiet.append(stream(), [newEvent('A')], 'no_stream');
        await new Promise((r) => setTimeout(r, 200));
        expect(woken).toBe(0);
        await store.append(stream(), [newEvent('A')], 'no_stream');
        await eventually(() => expect(woken).toBeGreaterThan(0));
      } finally {
        await unlisten();
      }
    });
  });

  describe('notifications gathered for a bulk load', () => {
    it('wakes listeners once for the appends made within the gathering window', async () => {
      const bulk = new SqlEventStore(database, { notifyAfterMs: 3000 });
      let woken = 0;
      const unlisten = await database.listen(EVENTS_CHANNEL, () => woken++);
      try {
        await new Promise((r) => setTimeout(r, 200));
        woken = 0;
        for (let i = 0; i < 5; i++) await bulk.append(stream(), [newEvent('A')], 'no_stream');
        await eventually(() => expect(woken).toBeGreaterThan(0), 10_000);
        await new Promise((r) => setTimeout(r, 200));
        expect(woken).toBe(1);
      } finally {
        await unlisten();
      }
    }, 20_000);
  });

  describe('idempotency', () => {
    it('writes nothing when the same event ids are appended again, and returns the original result', async () => {
      const id = stream();
      const events = [newEvent('A', { x: 1 }), newEvent('B', { y: 2 })];
      const first = await store.append(id, events, 'no_stream');
      const again = await store.append(id, events, 'no_stream');
      expect(again.duplicate).toBe(true);
      expect(again.version).toBe(first.version);
      expect(again.events.map((e) => e.position)).toEqual(first.events.map((e) => e.position));
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('treats a retry after later appends as the original result, not a conflict', async () => {
      const id = stream();
      const events = [newEvent('A')];
      await store.append(id, events, 'no_stream');
      await store.append(id, [newEvent('B')], 1);
      const again = await store.append(id, events, 'no_stream');
      expect(again.duplicate).toBe(true);
      expect(again.version).toBe(1);
    });

    it('refuses the same id with different content', async () => {
      const id = stream();
      const event = newEvent('A', { amount: 100 });
      await store.append(id, [event], 'no_stream');
      const tampered = { ...event, data: { amount: 999 } };
      await expect(store.append(id, [tampered], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
    });

    it('refuses an append mixing stored and new ids', async () => {
      const id = stream();
      const event = newEvent('A');
      await store.append(id, [event], 'no_stream');
      await expect(store.append(id, [event, newEvent('B')], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
    });
  });

  describe('reading a stream', () => {
    it('reads a version range', async () => {
      const id = stream();
      await store.append(
        id,
        ['A', 'B', 'C', 'D'].map((t) => newEvent(t)),
        'no_stream',
      );
      const middle = await store.readStream(id, { fromVersion: 2, toVersion: 3 });
      expect(middle.map((e) => e.type)).toEqual(['B', 'C']);
    });

    it('gives the stream as it was at a moment (asOf)', async () => {
      const id = stream();
      await store.append(id, [newEvent('A', {}, { recordedAt: '2024-01-01T00:00:00.000Z' })], 'no_stream');
      await store.append(id, [newEvent('B', {}, { recordedAt: '2024-03-01T00:00:00.000Z' })], 1);
      const then = await store.readStream(id, { asOf: '2024-02-01T00:00:00.000Z' });
      expect(then.map((e) => e.type)).toEqual(['A']);
      expect(then[0]!.metadata.actorRole).toBe('admin');
    });

    it('returns nothing for an unknown stream', async () => {
      expect(await store.readStream(stream())).toEqual([]);
      expect(await store.streamVersion(stream())).toBe(0);
    });

    it('upcasts old schema versions on read and keeps the stored event as written', async () => {
      const upcasting = new SqlEventStore(database, {
        upcasters: new UpcasterRegistry([{ type: 'Renamed', fromVersion: 1, upcast: (d) => ({ fullName: d.name }) }]),
      });
      const id = stream();
      await store.append(id, [newEvent('Renamed', { name: '张三' })], 'no_stream');
      const [read] = await upcasting.readStream(id);
      expect(read!.data).toEqual({ fullName: '张三' });
      expect(read!.schemaVersion).toBe(2);
      expect((await store.verify({ streamId: id })).broken).toEqual([]);
    });
  });

  describe('reading all streams', () => {
    it('reads in commit order across streams, page by page, with a type filter that still advances', async () => {
      // Types unique to this run, so events of other tests (and other test files) do not interfere.
      const tag = randomUUID().slice(0, 8);
      const [x1, x2, skip] = [`X1-${tag}`, `X2-${tag}`, `Skip-${tag}`];
      const s1 = stream();
      const s2 = stream();
      await store.append(s1, [newEvent(x1), newEvent(skip)], 'no_stream');
      await store.append(s2, [newEvent(x2)], 'no_stream');
      await store.append(s1, [newEvent(skip)], 2);
      const mine = (events: RecordedEvent[]) => events.filter((e) => e.type.endsWith(tag)).map((e) => e.type);
      // On a shared server another test's open transaction can hold the safe head back briefly.
      await eventually(async () => expect(mine(await readEverything())).toEqual([x1, skip, x2, skip]));

      const filtered = await eventually(async () => {
        const page = await store.readAll(START, 10_000, { types: [x1, x2] });
        expect(page.events.map((e) => e.type)).toEqual([x1, x2]);
        return page;
      });
      expect(page2Empty(await store.readAll(filtered.next, 10, { types: [x1, x2] }))).toBe(true);
      expect(await store.countAfter(START, { types: [x1, x2, skip] })).toBe(4);
      expect(await store.countAfter(filtered.events[0]!.position, { types: [x2] })).toBe(1);
    });
  });

  describe('tamper evidence', () => {
    it('chains each event to the previous one of its stream and verifies clean data', async () => {
      const id = stream();
      const result = await store.append(id, [newEvent('A', { a: 1 }), newEvent('B', { b: [1, { z: 1, a: 2 }] })], 'no_stream');
      expect(result.events[1]!.prevHash).toBe(result.events[0]!.hash);
      expect(result.events[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
      expect((await store.verify({ streamId: id })).broken).toEqual([]);
    });

    it('verifies data with awkward keys (__proto__, integer-like, unicode) after jsonb reorders them', async () => {
      const id = stream();
      // Keys already in order when appended, reordered by jsonb when read back for verify().
      const data = JSON.parse('{"__proto__":{"x":1},"b":1}');
      const mixed = JSON.parse('{"b":1,"10":"ten","9":"nine","名":"张三","z":[{"b":2,"a":1}],"n":-0}');
      await store.append(id, [newEvent('Awkward', data)], 'no_stream');
      await store.append(id, [newEvent('Awkward', mixed)], 1);
      expect((await store.verify({ streamId: id })).broken).toEqual([]);
      const again = await store.append(id, [{ ...(await store.readStream(id))[0]!, data }], 'any');
      expect(again.duplicate).toBe(true);
    });

    it('finds an event whose data was edited with SQL, and reports the first broken link only', async () => {
      const id = stream();
      await store.append(id, [newEvent('A', { amount: 100 }), newEvent('B', { amount: 200 }), newEvent('C')], 'no_stream');
      await asDba(
        database.db,
        sql`update es_events set data = '{"amount": 150}'::jsonb where stream_id = ${id} and version = 2`,
        sql`update es_events set data = '{"amount": 1}'::jsonb where stream_id = ${id} and version = 3`,
      );
      const report = await store.verify();
      const mine = report.broken.filter((b) => b.streamId === id);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ version: 2, reason: expect.stringContaining('altered') });
    });

    it('finds a deleted event and a moved recorded_at', async () => {
      const gap = stream();
      await store.append(gap, [newEvent('A'), newEvent('B'), newEvent('C')], 'no_stream');
      await asDba(database.db, sql`delete from es_events where stream_id = ${gap} and version = 2`);
      const moved = stream();
      await store.append(moved, [newEvent('A')], 'no_stream');
      await asDba(database.db, sql`update es_events set recorded_at = recorded_at - interval '1 day' where stream_id = ${moved}`);
      const truncated = stream();
      await store.append(truncated, [newEvent('A'), newEvent('B')], 'no_stream');
      await asDba(database.db, sql`delete from es_events where stream_id = ${truncated} and version = 2`);

      const report = await store.verify();
      expect(report.broken.find((b) => b.streamId === gap)).toMatchObject({ version: 3, reason: expect.stringContaining('missing') });
      expect(report.broken.find((b) => b.streamId === moved)).toMatchObject({ version: 1, reason: expect.stringContaining('recorded_at') });
      expect(report.broken.find((b) => b.streamId === truncated)).toMatchObject({ reason: expect.stringContaining('stream head') });
    });
  });
});

describe('reading all streams when transaction ids gain a digit (PGlite starts just below 1000)', () => {
  it('orders positions numerically, never as text, and skips nothing', async () => {
    const database = await openTestDatabase('pglite');
    try {
      const store = new SqlEventStore(database);
      const xid = async () => Number((await sql<{ x: string }>`select pg_current_xact_id()::text as x`.execute(database.db)).rows[0]!.x);
      const start = await xid();
      const boundary = 10 ** String(start).length;
      // Burn transaction ids (each autocommit statement takes one) up to just below the boundary.
      for (let x = start; x < boundary - 6; x = await xid());
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) ids.push((await store.append(`digits-${randomUUID()}`, [newEvent('Digit', { i })], 'no_stream')).events[0]!.eventId);
      expect(await xid()).toBeGreaterThan(boundary);

      const seen: string[] = [];
      let position = START;
      for (;;) {
        const page = await store.readAll(position, 5, { types: ['Digit'] });
        seen.push(...page.events.map((e) => e.eventId));
        if (page.next === position) break;
        position = page.next;
      }
      expect(seen).toEqual(ids);
    } finally {
      await database.close();
    }
  });
});
