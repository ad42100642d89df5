import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/application/command-handler';
import { CommandHandler } from '../../src/application/command-handler';
import { NotFoundError, PreconditionFailedError } from '../../src/application/errors';
import { WrongExpectedVersionError, type EventStore } from '../../src/application/event-store';
import type { Decider } from '../../src/domain/shared/decider';
import { DomainRuleViolation } from '../../src/domain/shared/errors';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { z } from 'zod';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

// A counter aggregate: enough to exercise the generic handler's load–decide–append loop.
type CounterEvent = { type: 'Incremented'; data: { by: number; at?: string } };
type CounterCommand = { type: 'Increment'; data: { by: number; max: number; at?: string } };
const counter: Decider<CounterCommand, CounterEvent, number> = {
  initialState: () => 0,
  evolve: (state, event) => state + event.data.by,
  decide: (command, state) => {
    if (state + command.data.by > command.data.max) throw new DomainRuleViolation('service_record.minutes_out_of_range', 'too high');
    return command.data.by === 0 ? [] : [{ type: 'Incremented', data: { by: command.data.by, ...(command.data.at ? { at: command.data.at } : {}) } }];
  },
};
const catalog = { Incremented: { schema: z.object({ by: z.number().int(), at: z.string().optional() }), version: 1 } };

function context(commandId = randomUUID()): CommandContext {
  return { actor: { id: 'w1', role: 'admin' }, commandId, correlationId: 'c1', now: new Date('2026-02-01T00:00:00Z') };
}

describe('the generic command handler', () => {
  let database: TestDatabase;
  let store: SqlEventStore;
  let handler: CommandHandler;
  beforeAll(async () => {
    database = await openTestDatabase();
    store = new SqlEventStore(database);
    handler = new CommandHandler(store);
  });
  afterAll(async () => database?.close());

  const increment = (streamId: string, by: number, extra: Partial<Parameters<CommandHandler['handle']>[0]> = {}, ctx = context()) =>
    handler.handle({ streamId, decider: counter, catalog, context: ctx, command: { type: 'Increment', data: { by, max: 100 } }, ...extra });

  it('loads, decides and appends with the expected version, returning the new state', async () => {
    const id = `counter-${randomUUID()}`;
    await increment(id, 2);
    const result = await increment(id, 3);
    expect(result).toMatchObject({ version: 2, state: 5, duplicate: false });
    expect(result.events[0]).toMatchObject({
      type: 'Incremented',
      version: 2,
      metadata: { actorId: 'w1', correlationId: 'c1', recordedAt: '2026-02-01T00:00:00.000Z' },
    });
  });

  it('answers a repeated command id with the first result and appends nothing', async () => {
    const id = `counter-${randomUUID()}`;
    const ctx = context();
    const first = await increment(id, 4, {}, ctx);
    const again = await increment(id, 4, {}, ctx);
    expect(again.duplicate).toBe(true);
    expect(again.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
    expect(await store.streamVersion(id)).toBe(1);
  });

  it('refuses a stale If-Match with the current version', async () => {
    const id = `counter-${randomUUID()}`;
    await increment(id, 1);
    await increment(id, 1);
    const error = await increment(id, 1, { ifMatch: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect((error as PreconditionFailedError).actual).toBe(2);
    expect((await increment(id, 1, { ifMatch: 2 })).version).toBe(3);
  });

  it('lets the domain refuse, and appends nothing when the decider decides nothing', async () => {
    const id = `counter-${randomUUID()}`;
    await expect(increment(id, 101)).rejects.toMatchObject({ rule: 'service_record.minutes_out_of_range' });
    expect((await increment(id, 0)).version).toBe(0);
    expect(await store.streamVersion(id)).toBe(0);
  });

  describe("with a precondition on the state (a case step's jurisdiction, checked on its fold)", () => {
    /** Refuses a counter that has not started, or has reached `above`: what it sees is recorded. */
    const check = (above: number, seen: number[]) => (state: unknown) => {
      const n = state as number;
      seen.push(n);
      if (n === 0) throw new NotFoundError('counter', 'none');
      if (n >= above) throw new DomainRuleViolation('service_record.minutes_out_of_range', 'not yours');
    };

    it('checks the folded state before deciding, and appends nothing when it refuses', async () => {
      const id = `counter-${randomUUID()}`;
      await increment(id, 2);
      const seen: number[] = [];
      expect(await increment(id, 3, { precondition: check(10, seen) })).toMatchObject({ version: 2, state: 5 });
      await expect(increment(id, 1, { precondition: check(5, seen) })).rejects.toMatchObject({ rule: 'service_record.minutes_out_of_range' });
      expect(seen).toEqual([2, 5]);
      expect(await store.streamVersion(id)).toBe(2);
    });

    it('refuses a stream that does not exist yet without creating it (no guess on the empty state)', async () => {
      const id = `counter-${randomUUID()}`;
      const seen: number[] = [];
      await expect(increment(id, 1, { precondition: check(10, seen) })).rejects.toBeInstanceOf(NotFoundError);
      expect(await store.streamVersion(id)).toBe(0);
    });

    it('checks a retried command too, before answering it as the first time', async () => {
      const id = `counter-${randomUUID()}`;
      await increment(id, 2);
      const ctx = context();
      await increment(id, 3, {}, ctx);
      await expect(increment(id, 3, { precondition: check(4, []) }, ctx)).rejects.toMatchObject({ rule: 'service_record.minutes_out_of_range' });
      expect((await increment(id, 3, { precondition: check(10, []) }, ctx)).duplicate).toBe(true);
    });

    it('checks the state the caller holds, and reads the stored one when that refuses', async () => {
      const id = `counter-${randomUUID()}`;
      const first = await increment(id, 2);
      await increment(id, 5); // another writer: the stored state is 7
      const seen: number[] = [];
      await expect(increment(id, 1, { known: { state: first.state, version: first.version }, precondition: check(6, seen) })).rejects.toMatchObject({
        rule: 'service_record.minutes_out_of_range',
      });
      expect(seen).toEqual([2, 7]);
      expect(await store.streamVersion(id)).toBe(2);
    });
  });

  describe('when a concurrent writer gets there first', () => {
    // A store that lets another writer slip in just before our append, once: before the first
    // append at a version, or (`onCreate`) before the first one at all, a creation included.
    function racingStore(competitor: () => Promise<unknown>, onCreate = false): EventStore {
      let raced = false;
      return new Proxy(store, {
        get(target, prop, receiver) {
          if (prop !== 'append') return Reflect.get(target, prop, receiver);
          return async (...args: Parameters<EventStore['append']>) => {
            if (!raced && (onCreate || args[2] !== 'no_stream')) {
              raced = true;
              await competitor();
            }
            return target.append(...args);
          };
        },
      });
    }

    it('retries, re-deciding on the newer state, when the command declares it safe', async () => {
      const id = `counter-${randomUUID()}`;
      await increment(id, 1);
      const racing = new CommandHandler(racingStore(() => increment(id, 10)));
      const result = await racing.handle({
        streamId: id,
        decider: counter,
        catalog,
        context: context(),
        command: { type: 'Increment', data: { by: 5, max: 100 } },
        retryOnConflict: true,
      });
      expect(result).toMatchObject({ version: 3, state: 16 });
    });

    it('answers a retried request that raced its first attempt with the first result, even at another time', async () => {
      const id = `counter-${randomUUID()}`;
      const ctx = context();
      // The first attempt lands while the retry is deciding, a second later (other `now`).
      const first = () =>
        handler.handle({ streamId: id, decider: counter, catalog, context: ctx, command: { type: 'Increment', data: { by: 3, max: 100, at: 'first' } } });
      const racing = new CommandHandler(racingStore(first, true));
      // Same command id, so the same event ids, but data that differs by its time: the store refuses the ids.
      const retry = await racing.handle({
        streamId: id,
        decider: counter,
        catalog,
        context: ctx,
        command: { type: 'Increment', data: { by: 3, max: 100, at: 'retry' } },
      });
      expect(retry).toMatchObject({ duplicate: true, version: 1, state: 3 });
      expect(await store.streamVersion(id)).toBe(1);
    });

    it('surfaces the conflict when the command does not declare retry safe', async () => {
      const id = `counter-${randomUUID()}`;
      await increment(id, 1);
      const racing = new CommandHandler(racingStore(() => increment(id, 10)));
      const error = await racing
        .handle({ streamId: id, decider: counter, catalog, context: context(), command: { type: 'Increment', data: { by: 5, max: 100 } } })
        .catch((e) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(await store.streamVersion(id)).toBe(2);
    });

    it('decides again on the real state when another creator made the stream first: no decision on a state that was not there is stored', async () => {
      const id = `counter-${randomUUID()}`;
      const racing = new CommandHandler(racingStore(() => increment(id, 90), true));
      // On the empty state +20 is allowed; on the real one (90) it passes the maximum.
      const error = await racing
        .handle({ streamId: id, decider: counter, catalog, context: context(), command: { type: 'Increment', data: { by: 20, max: 100 } } })
        .catch((e) => e);
      expect(error).toMatchObject({ rule: 'service_record.minutes_out_of_range' });
      expect((await store.readStream(id)).map((e) => e.data)).toEqual([{ by: 90 }]);
    });
  });

  describe('reads only what a command needs', () => {
    // Counts the store's reads and appends (a read of the stream is a database round trip).
    function countingStore(): { store: EventStore; reads: number; appends: string[] } {
      const counts = { store: store as EventStore, reads: 0, appends: [] as string[] };
      counts.store = new Proxy(store, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (prop === 'readStream') return (...args: Parameters<EventStore['readStream']>) => (counts.reads++, target.readStream(...args));
          if (prop === 'append') return (...args: Parameters<EventStore['append']>) => (counts.appends.push(String(args[2])), target.append(...args));
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      return counts;
    }

    it('creates a stream without reading it first, with the result an ordinary command gives', async () => {
      const counts = countingStore();
      const id = `counter-${randomUUID()}`;
      const result = await new CommandHandler(counts.store).handle({
        streamId: id,
        decider: counter,
        catalog,
        context: context(),
        command: { type: 'Increment', data: { by: 4, max: 100 } },
      });
      expect(result).toMatchObject({ version: 1, state: 4, duplicate: false });
      expect(counts).toMatchObject({ reads: 0, appends: ['no_stream'] });
      expect((await store.readStream(id)).map((e) => [e.version, e.data])).toEqual([[1, { by: 4 }]]);
    });

    it('reads an existing stream after a creation attempt fails, and does not try the creation again on it', async () => {
      const id = `counter-${randomUUID()}`;
      await increment(id, 7);
      const counts = countingStore();
      const counting = new CommandHandler(counts.store);
      const send = () =>
        counting.handle({ streamId: id, decider: counter, catalog, context: context(), command: { type: 'Increment', data: { by: 1, max: 100 } } });
      expect(await send()).toMatchObject({ version: 2, state: 8 });
      expect(counts).toMatchObject({ reads: 1, appends: ['no_stream', '1'] });
      expect(await send()).toMatchObject({ version: 3, state: 9 });
      expect(counts).toMatchObject({ reads: 2, appends: ['no_stream', '1', '2'] });
      expect((await store.readStream(id)).map((e) => e.data)).toEqual([{ by: 7 }, { by: 1 }, { by: 1 }]);
    });

    it('answers a repeated creation with the first result, also when the stream has grown since', async () => {
      const id = `counter-${randomUUID()}`;
      const ctx = context();
      const first = await increment(id, 2, {}, ctx);
      await increment(id, 3);
      const again = await new CommandHandler(store).handle({
        streamId: id,
        decider: counter,
        catalog,
        context: ctx,
        command: { type: 'Increment', data: { by: 2, max: 100 } },
      });
      expect(again).toMatchObject({ duplicate: true, version: 2, state: 5 });
      expect(again.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
      expect(await store.streamVersion(id)).toBe(2);
    });
  });

  describe('on the state the caller holds (an import chunk after chunk)', () => {
    /** The handler over a store that counts the stream reads it is asked for. */
    const reading = () => {
      const reads: string[] = [];
      const counted = Object.create(store) as SqlEventStore;
      counted.readStream = (streamId, options) => {
        reads.push(streamId);
        return store.readStream(streamId, options);
      };
      return { reads, handler: new CommandHandler(counted) };
    };
    // `increment` answers with an untyped state; the counter's is a number.
    const request = (streamId: string, by: number, held: { state: unknown; version: number }, ctx = context()) => ({
      streamId,
      decider: counter,
      catalog,
      context: ctx,
      command: { type: 'Increment' as const, data: { by, max: 100 } },
      known: { state: held.state as number, version: held.version },
    });

    it('decides on it and appends without reading the stream', async () => {
      const id = `counter-${randomUUID()}`;
      const first = await increment(id, 2);
      const { reads, handler: h } = reading();
      const second = await h.handle(request(id, 3, { state: first.state, version: first.version }));
      const third = await h.handle(request(id, 4, { state: second.state, version: second.version }));
      expect(third).toMatchObject({ version: 3, state: 9, duplicate: false });
      expect(reads).toEqual([]);
      expect(await store.streamVersion(id)).toBe(3);
    });

    it('reads and decides again when the stream moved since (nothing lost, nothing doubled)', async () => {
      const id = `counter-${randomUUID()}`;
      const first = await increment(id, 2);
      await increment(id, 5); // another writer
      const { reads, handler: h } = reading();
      const result = await h.handle(request(id, 3, { state: first.state, version: first.version }));
      expect(result).toMatchObject({ version: 3, state: 10, duplicate: false });
      expect(reads).toEqual([id]);
    });

    it('answers a repeated command as the first time did', async () => {
      const id = `counter-${randomUUID()}`;
      const first = await increment(id, 2);
      const ctx = context();
      const once = await handler.handle(request(id, 3, { state: first.state, version: first.version }, ctx));
      const again = await handler.handle(request(id, 3, { state: first.state, version: first.version }, ctx));
      expect(again.duplicate).toBe(true);
      expect(again.events.map((e) => e.eventId)).toEqual(once.events.map((e) => e.eventId));
      expect(await store.streamVersion(id)).toBe(2);
    });

    it('lets the stored state refuse: a refusal on the held state is decided again on the stored one', async () => {
      const id = `counter-${randomUUID()}`;
      const first = await increment(id, 2);
      // The held state says 99 (wrong): on it the decider would refuse; the stored state (2) allows.
      const result = await handler.handle(request(id, 3, { state: 99, version: first.version }));
      expect(result).toMatchObject({ version: 2, state: 5 });
      await expect(handler.handle(request(id, 200, { state: result.state, version: result.version }))).rejects.toMatchObject({
        rule: 'service_record.minutes_out_of_range',
      });
    });
  });
});
