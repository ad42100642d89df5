import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAggregate } from '../../src/application/aggregate';
import { CommandHandler, type CommandContext } from '../../src/application/command-handler';
import type { Decider } from '../../src/domain/shared/decider';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

// A counter that ignores a step it already passed: like a detection that changes nothing.
type Ev = { type: 'Raised'; data: { to: number; now: string } };
type Cmd = { type: 'RaiseTo'; data: { to: number; now: string } };
const decider: Decider<Cmd, Ev, number> = {
  initialState: () => 0,
  evolve: (_state, e) => e.data.to,
  decide: (c, state) => (c.data.to > state ? [{ type: 'Raised', data: { to: c.data.to, now: c.data.now } }] : []),
};
const counters = defineAggregate({
  name: 'counter',
  streamId: (id: string) => `counter-${id}`,
  decider,
  catalog: { Raised: { schema: z.object({ to: z.number(), now: z.string() }), version: 1 } },
});
const context = (commandId: string): CommandContext => ({
  actor: { id: 'importer', role: 'admin' },
  commandId,
  correlationId: 'batch',
  now: new Date('2026-02-01T00:00:00Z'),
});

describe('commands of one aggregate handled as a batch', () => {
  let database: TestDatabase;
  let store: SqlEventStore;
  let handler: CommandHandler;
  beforeAll(async () => {
    database = await openTestDatabase();
    store = new SqlEventStore(database);
    handler = new CommandHandler(store);
  });
  afterAll(async () => database?.close());

  const plan = (ids: string[], steps: number[]) =>
    steps.map((to, i) => ({ id: ids[i % ids.length]!, command: { type: 'RaiseTo' as const, data: { to } }, context: context(`${ids.join()}:${i}`) }));

  it('appends exactly the events one command at a time would, stream by stream in order', async () => {
    const batchIds = [randomUUID(), randomUUID(), randomUUID()];
    const singleIds = [randomUUID(), randomUUID(), randomUUID()];
    const steps = [1, 5, 2, 3, 4, 9, 2];
    const batch = await handler.handleBatch(counters, plan(batchIds, steps), { concurrency: 2 });
    const single = [];
    for (const item of plan(singleIds, steps)) single.push(await handler.handle(counters, item.id, item.command, item.context));

    expect(batch.map((r) => [r.events.map((e) => e.data), r.duplicate])).toEqual(single.map((r) => [r.events.map((e) => e.data), r.duplicate]));
    for (const [i, id] of batchIds.entries()) {
      const [viaBatch, viaSingle] = [await store.readStream(`counter-${id}`), await store.readStream(`counter-${singleIds[i]}`)];
      expect(viaBatch.map((e) => [e.version, e.data, e.metadata.commandId.length])).toEqual(
        viaSingle.map((e) => [e.version, e.data, e.metadata.commandId.length]),
      );
    }
    // The stream of ids[1] got 5, then 4 ignored, then … each result names its own events only.
    expect(batch[1]!.events.map((e) => e.data.to)).toEqual([5]);
    expect(batch[4]!.events).toEqual([]);
    expect((await store.verify()).broken).toEqual([]);
  });

  it('answers a command already in its stream as the first time, and appends the rest (a resumed chunk)', async () => {
    const ids = [randomUUID(), randomUUID()];
    const items = plan(ids, [1, 1, 2, 2]);
    const first = await handler.handleBatch(counters, items.slice(0, 3));
    const again = await handler.handleBatch(counters, items);
    expect(again.slice(0, 3).map((r) => r.duplicate)).toEqual([true, true, true]);
    expect(again.slice(0, 3).map((r) => r.events.map((e) => e.eventId))).toEqual(first.map((r) => r.events.map((e) => e.eventId)));
    expect(again[3]).toMatchObject({ duplicate: false, version: 2 });
    expect((await store.readStream(`counter-${ids[1]}`)).map((e) => e.data.to)).toEqual([1, 2]);
  });

  it('re-decides a stream one command at a time when another writer moved it meanwhile', async () => {
    const id = randomUUID();
    await handler.handle(counters, id, { type: 'RaiseTo', data: { to: 1 } }, context(randomUUID()));
    // The batch reads the stream, then a concurrent writer raises it to 6 before the batch appends.
    const readStreams = store.readStreams.bind(store);
    const racing = Object.assign(Object.create(store) as SqlEventStore, {
      readStreams: async (streamIds: readonly string[]) => {
        const read = await readStreams(streamIds);
        await handler.handle(counters, id, { type: 'RaiseTo', data: { to: 6 } }, context(randomUUID()));
        return read;
      },
    });
    const results = await new CommandHandler(racing).handleBatch(counters, plan([id], [3, 7]), { retryOnConflict: true });
    expect(results.map((r) => r.events.map((e) => e.data.to))).toEqual([[], [7]]);
    expect((await store.readStream(`counter-${id}`)).map((e) => e.data.to)).toEqual([1, 6, 7]);
  });
});
