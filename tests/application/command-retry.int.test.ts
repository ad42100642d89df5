import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CommandHandler, type CommandContext, type CommandObserver } from '../../src/application/command-handler';
import { WrongExpectedVersionError, type EventStore } from '../../src/application/event-store';
import type { Decider } from '../../src/domain/shared/decider';
import { isConnectionLost } from '../../src/storage/connection-faults';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

type Added = { type: 'Added'; data: { n: number } };
type Add = { type: 'Add'; data: { n: number } };
const tally: Decider<Add, Added, number> = {
  initialState: () => 0,
  evolve: (s, e) => s + e.data.n,
  decide: (c) => [{ type: 'Added', data: { n: c.data.n } }],
};
const catalog = { Added: { schema: z.object({ n: z.number().int() }), version: 1 } };
const context = (): CommandContext => ({
  actor: { id: 'a1', role: 'admin' },
  commandId: randomUUID(),
  correlationId: 'c',
  now: new Date('2026-02-01T00:00:00Z'),
});

/** What node-postgres throws when the server ends the session under a statement. */
const terminated = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });

type Fault = 'before-commit' | 'after-commit' | 'conflict';

describe('a command whose connection dies', () => {
  let database: TestDatabase;
  let store: SqlEventStore;
  const faults: Fault[] = [];
  const seen = { conflicts: 0, retries: [] as string[] };
  const observer: CommandObserver = { conflict: () => seen.conflicts++, retry: (reason) => seen.retries.push(reason) };
  let handler: CommandHandler;

  beforeAll(async () => {
    database = await openTestDatabase();
    store = new SqlEventStore(database);
    // The store with faults injected around the real append.
    const faulty: EventStore = new Proxy(store, {
      get(target, property) {
        const value = Reflect.get(target, property);
        if (property !== 'append') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<EventStore['append']>) => {
          const fault = faults.shift();
          if (fault === 'before-commit') throw terminated();
          if (fault === 'conflict') throw new WrongExpectedVersionError(args[0], args[2], 99);
          const result = await target.append(...args);
          if (fault === 'after-commit') throw terminated(); // committed, but the reply was lost
          return result;
        };
      },
    });
    handler = new CommandHandler(faulty, { isConnectionLost, observer });
  });
  afterAll(async () => database?.close());

  const add = (streamId: string, n = 1, retryOnConflict = false) =>
    handler.handle({ streamId, decider: tally, catalog, context: context(), command: { type: 'Add', data: { n } }, retryOnConflict });

  it('is run once more when nothing was written, and writes once', async () => {
    const id = `tally-${randomUUID()}`;
    seen.retries = [];
    faults.push('before-commit');
    const result = await add(id, 5);
    expect(result).toMatchObject({ version: 1, state: 5, duplicate: false });
    expect((await store.readStream(id)).map((e) => e.data)).toEqual([{ n: 5 }]);
    expect(seen.retries).toEqual(['connection']);
  });

  it('is run once more when the append committed but the reply was lost, and recognises its own events', async () => {
    const id = `tally-${randomUUID()}`;
    faults.push('after-commit');
    const result = await add(id, 7);
    expect(result).toMatchObject({ version: 1, state: 7, duplicate: true });
    expect((await store.readStream(id)).map((e) => e.data)).toEqual([{ n: 7 }]);
  });

  it('gives up after one retry: the connection error reaches the caller (the HTTP layer answers 503)', async () => {
    const id = `tally-${randomUUID()}`;
    faults.push('before-commit', 'before-commit');
    const failure = await add(id).catch((error: unknown) => error);
    expect(isConnectionLost(failure)).toBe(true);
    expect(await store.readStream(id)).toEqual([]);
    faults.length = 0;
  });

  it('counts conflicts and conflict retries for the metrics', async () => {
    const id = `tally-${randomUUID()}`;
    await add(id, 1); // a stream that exists: the append at its version meets the conflict
    seen.conflicts = 0;
    seen.retries = [];
    faults.push('conflict');
    await add(id, 1, true);
    expect(seen).toEqual({ conflicts: 1, retries: ['conflict'] });
  });
});
