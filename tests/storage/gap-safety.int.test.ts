import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, type PendingEvent, type Position, type RecordedEvent } from '../../src/application/event-store';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { openTestDatabase, postgresUrl, type TestDatabase } from '../support/test-database';
import { eventually } from '../support/wait';

// Concurrent transactions need a real server: PGlite has one connection and serialises them.
const hasPostgres = (await postgresUrl()) !== null;

describe.skipIf(!hasPostgres)('gap-safe catch-up on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  });
  afterAll(async () => database?.close());

  it('never lets a reader pass an event that a slower transaction commits later with a lower position', async () => {
    // The slow writer's transaction is held open inside its append (after its insert drew the
    // lower global position) by an inline projection that waits on a latch.
    let release!: () => void;
    const latch = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const slowInserted = new Promise<void>((r) => (inserted = r));
    const slowStore = new SqlEventStore(database, {
      inlineProjections: [
        {
          name: 'latch',
          handles: ['Slow'],
          apply: async () => {
            inserted();
            await latch;
          },
        },
      ],
    });
    const store = new SqlEventStore(database);

    const tailStart = (await store.readAll(START, 1_000_000)).next;
    const slow = slowStore.append(`slow-${randomUUID()}`, [newEvent('Slow')], 'no_stream');
    await slowInserted;
    const fast = await store.append(`fast-${randomUUID()}`, [newEvent('Fast')], 'no_stream');

    const globalPosition = async (type: string) =>
      Number(
        (await sql<{ g: string }>`select global_position as g from es_events where type = ${type} order by global_position desc limit 1`.execute(database.db))
          .rows[0]?.g,
      );
    // The fast writer committed first but holds the higher position; the slow one is still open.
    expect(fast.events[0]!.position).toBeDefined();

    // A tailing reader, checkpointing after every page, while the slow transaction is open.
    const seen: RecordedEvent[] = [];
    let checkpoint: Position = tailStart;
    const tail = async () => {
      const page = await store.readAll(checkpoint, 100);
      seen.push(...page.events);
      checkpoint = page.next;
    };
    await tail();
    expect(seen.map((e) => e.type)).toEqual([]); // the fast event waits behind the open transaction

    // A naive reader ordered by global position alone would already have moved past the gap.
    const naive = await sql<{ type: string }>`select type from es_events where type in ('Slow','Fast') order by global_position`.execute(database.db);
    expect(naive.rows.map((r) => r.type)).toEqual(['Fast']);

    release();
    await slow;
    expect(await globalPosition('Slow')).toBeLessThan(await globalPosition('Fast'));
    // Other test files share this server: their open transactions may hold the safe head back a
    // moment longer, so keep tailing; what matters is the order, and that nothing is skipped.
    await eventually(async () => {
      await tail();
      expect(seen.map((e) => e.type)).toEqual(['Slow', 'Fast']);
    });
  });

  it.each([
    ['in the transaction after the append', false],
    ['as rows of the append statement', true],
  ])('rebuilds an inline projection written %s while appends keep arriving, losing none', async (_how, asRows) => {
    const table = asRows ? 'rm_inline_probe_rows' : 'rm_inline_probe';
    const type = asRows ? 'ProbeRows' : 'Probe'; // each case rebuilds from its own events only
    await sql`create table ${sql.table(table)} (event_id uuid primary key)`.execute(database.db);
    const projection = {
      name: asRows ? 'inline-probe-rows' : 'inline-probe',
      handles: [type],
      tables: [table],
      apply: async (trx: unknown, events: readonly RecordedEvent[]) => {
        for (const e of events) await sql`insert into ${sql.table(table)} (event_id) values (${e.eventId}) on conflict do nothing`.execute(trx as never);
      },
      ...(asRows
        ? {
            rowsFor: (events: readonly PendingEvent[]) => [
              { table, columns: [['event_id', 'uuid']] as const, rows: events.map((e) => [e.eventId]), onConflict: '(event_id) do nothing' },
            ],
          }
        : {}),
    };
    const store = new SqlEventStore(database, { inlineProjections: [projection] });
    const streams = Array.from({ length: 4 }, () => `probe-${randomUUID()}`);
    const writers = streams.map(async (s) => {
      for (let i = 0; i < 15; i++) await store.append(s, [newEvent(type)], i === 0 ? 'no_stream' : i);
    });
    const rebuilds = (async () => {
      for (let i = 0; i < 3; i++) await store.rebuildInline(projection);
    })();
    await Promise.all([...writers, rebuilds]);
    const count = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(database.db);
    expect(Number(count.rows[0]!.n)).toBe(60);
  });
});
