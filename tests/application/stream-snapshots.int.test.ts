import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CommandHandler, type CommandContext } from '../../src/application/command-handler';
import { DATA_IMPORT_SNAPSHOT, IMPORT_CHUNK_SIZE } from '../../src/application/detection/data-import.service';
import type { EventStore, ReadStreamOptions } from '../../src/application/event-store';
import { dataImportDecider } from '../../src/domain/detection/data-import.decide';
import { dataImportEvents } from '../../src/domain/detection/data-import.events';
import type { Decider } from '../../src/domain/shared/decider';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { SqlSnapshotStore } from '../../src/storage/snapshot-store';
import { availableBackends, openTestDatabase, type Backend, type TestDatabase } from '../support/test-database';

/**
 * Issue 14 item 8: a stream that grows with the data (an import: one event per 500-row chunk)
 * is loaded from a snapshot of its state plus the events after it, not from its first event.
 */
type Ev = { type: 'Added'; data: { n: number } };
type Cmd = { type: 'Add'; data: { n: number } };
const summing: Decider<Cmd, Ev, { total: number; count: number }> = {
  initialState: () => ({ total: 0, count: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.n, count: s.count + 1 }),
  decide: (c) => [{ type: 'Added', data: { n: c.data.n } }],
};
const catalog = { Added: { schema: z.object({ n: z.number().int() }), version: 1 } };
const policy = { key: 'summing@1', every: 3 };
const ctx = (commandId = randomUUID()): CommandContext => ({
  actor: { id: 'a1', role: 'admin' },
  commandId,
  correlationId: 'c',
  now: new Date('2026-03-01T00:00:00Z'),
});

/** Records how many events each readStream call returned. */
function counting(store: SqlEventStore): { store: EventStore; reads: number[] } {
  const reads: number[] = [];
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'readStream') {
        return async (id: string, options?: ReadStreamOptions) => {
          const events = await target.readStream(id, options);
          reads.push(events.length);
          return events;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: proxy, reads };
}

const backends = await availableBackends();

describe.each(backends)('stream snapshots on %s', (backend: Backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = new SqlEventStore(database);
  });
  afterAll(async () => database?.close());

  describe('when a stream with a snapshot policy grows', () => {
    it('takes a snapshot every N events and then reads only the events after it', async () => {
      const streamId = `sum-${randomUUID()}`;
      const { store: spy, reads } = counting(store);
      const handler = new CommandHandler(spy, { snapshots: new SqlSnapshotStore(database.db) });
      for (let n = 1; n <= 10; n++)
        await handler.handle({ streamId, decider: summing, catalog, context: ctx(), command: { type: 'Add', data: { n } }, snapshot: policy });
      const snap = await new SqlSnapshotStore(database.db).load(streamId, policy.key);
      expect(snap).toEqual({ version: 9, state: { total: 45, count: 9 } });
      // Without snapshots the 10th command reads 9 events; here never more than every - 1.
      expect(Math.max(...reads)).toBeLessThanOrEqual(policy.every - 1);
      const result = await handler.handle({ streamId, decider: summing, catalog, context: ctx(), command: { type: 'Add', data: { n: 11 } }, snapshot: policy });
      expect(result.state).toEqual({ total: 66, count: 11 });
      expect(result.version).toBe(11);
    });

    it('gives the same state as a full fold when the snapshots are gone (they are only a cache)', async () => {
      const streamId = `sum-${randomUUID()}`;
      const handler = new CommandHandler(store, { snapshots: new SqlSnapshotStore(database.db) });
      for (let n = 1; n <= 7; n++)
        await handler.handle({ streamId, decider: summing, catalog, context: ctx(), command: { type: 'Add', data: { n } }, snapshot: policy });
      await sql`delete from es_snapshots where stream_id = ${streamId}`.execute(database.db);
      const result = await handler.handle({ streamId, decider: summing, catalog, context: ctx(), command: { type: 'Add', data: { n: 8 } }, snapshot: policy });
      expect(result.state).toEqual({ total: 36, count: 8 });
      const plain = await new CommandHandler(store).handle({ streamId, decider: summing, catalog, context: ctx(), command: { type: 'Add', data: { n: 0 } } });
      expect(plain.state.total).toBe(36);
    });

    it('writes nothing twice when a command older than the snapshot is retried', async () => {
      const streamId = `sum-${randomUUID()}`;
      const handler = new CommandHandler(store, { snapshots: new SqlSnapshotStore(database.db) });
      const first = ctx();
      await handler.handle({ streamId, decider: summing, catalog, context: first, command: { type: 'Add', data: { n: 1 } }, snapshot: policy });
      for (let n = 2; n <= 6; n++)
        await handler.handle({ streamId, decider: summing, catalog, context: ctx(), command: { type: 'Add', data: { n } }, snapshot: policy });
      const retried = await handler.handle({ streamId, decider: summing, catalog, context: first, command: { type: 'Add', data: { n: 1 } }, snapshot: policy });
      expect(retried.duplicate).toBe(true);
      expect(await store.streamVersion(streamId)).toBe(6);
    });
  });

  describe('an import of many chunks', () => {
    it('records each chunk reading at most the events since the last snapshot', async () => {
      const importId = randomUUID();
      const streamId = `data-import-${importId}`;
      const { store: spy, reads } = counting(store);
      const handler = new CommandHandler(spy, { snapshots: new SqlSnapshotStore(database.db) });
      const chunks = 25;
      const rowCount = chunks * IMPORT_CHUNK_SIZE;
      const run = (command: Parameters<typeof dataImportDecider.decide>[0]) =>
        handler.handle({ streamId, decider: dataImportDecider, catalog: dataImportEvents, context: ctx(), command, snapshot: DATA_IMPORT_SNAPSHOT });
      const now = '2026-03-01T00:00:00.000Z';
      await run({
        type: 'StartDataImport',
        data: {
          importId,
          source: 'education',
          batchId: 'b1',
          contentHash: 'a'.repeat(64),
          rowCount,
          chunkSize: IMPORT_CHUNK_SIZE,
          policyVersion: 1,
          receivedOn: '2026-03-01',
          now,
        },
      });
      for (let chunk = 1; chunk <= chunks; chunk++) {
        const fromRow = (chunk - 1) * IMPORT_CHUNK_SIZE + 1;
        const rejected = Array.from({ length: IMPORT_CHUNK_SIZE }, (_, i) => ({ row: fromRow + i, field: 'idNumber', message: 'invalid' }));
        await run({
          type: 'RecordImportChunk',
          data: {
            chunk,
            fromRow,
            toRow: fromRow + IMPORT_CHUNK_SIZE - 1,
            applied: [],
            unchanged: [],
            rejected,
            findings: { raised: 0, escalated: 0, personsFound: 0 },
            now,
          },
        });
      }
      const done = await run({ type: 'CompleteDataImport', data: { now } });
      expect(done.state).toMatchObject({ status: 'completed', chunks, rowsDone: rowCount, totals: { rejected: rowCount } });
      expect(await store.streamVersion(streamId)).toBe(chunks + 2);
      expect(Math.max(...reads)).toBeLessThan(DATA_IMPORT_SNAPSHOT.every);
    }, 120_000);
  });
});
