import { fold, type Decider, type DomainEvent } from '../domain/shared/decider';
import type { EventCatalog } from '../domain/shared/event-schemas';
import type { Actor } from './actor';
import { commandRequest, type Aggregate, type CommandOrBuilder, type HandleOptions } from './aggregate';
import { PreconditionFailedError } from './errors';
import { DuplicateEventIdError, WrongExpectedVersionError, type AppendResult, type EventStore, type NewEvent, type RecordedEvent } from './event-store';
import { deterministicUuid } from './ids';
import type { SnapshotPolicy, SnapshotStore } from './snapshots';
import { asDomainEvents } from './stored-events';

export interface CommandContext {
  actor: Actor;
  /** Stable per request: retries of one request carry the same id (see Idempotency-Key). */
  commandId: string;
  correlationId: string;
  causationId?: string | null;
  now: Date;
}

export interface HandleCommand<C, E extends DomainEvent, S> {
  streamId: string;
  decider: Decider<C, E, S>;
  /** Builds the command once the stream is loaded (some commands need the current state). */
  command: C | ((state: S, version: number) => C);
  catalog: EventCatalog;
  context: CommandContext;
  /** The client's If-Match: the version it read. A different current version is a 412. */
  ifMatch?: number;
  /**
   * Re-read and re-decide when a concurrent writer got there first. Only for commands whose
   * decision stays valid on newer state (never with If-Match: the client asked for that version).
   */
  retryOnConflict?: boolean;
  /**
   * For streams that grow long (an import's chunks): fold from the latest snapshot of the state
   * instead of the first event. Needs a SnapshotStore in the handler; ignored without one.
   */
  snapshot?: SnapshotPolicy;
  /**
   * The stream's state at `version` as the caller holds it: the result of its own previous
   * command on this stream (an import's chunk after chunk). Decided on without a read; when the
   * stream has moved since, the append conflicts and the command takes the ordinary path.
   */
  known?: { state: S; version: number };
  /**
   * Checked on the stream's state before the command is decided, a retried command included: a
   * check that needs what the stream holds (the case's area for a jurisdiction) without a read
   * of its own. What it throws is the command's answer; nothing is appended.
   */
  precondition?: (state: S) => void;
}

export interface CommandResult<S> {
  streamId: string;
  version: number;
  state: S;
  events: RecordedEvent[];
  /** True when this command id had already been applied: nothing new was written. */
  duplicate: boolean;
}

const MAX_ATTEMPTS = 3;

/** Told of what the handler does besides succeeding (metrics). */
export interface CommandObserver {
  /** An append lost to a concurrent writer (WrongExpectedVersionError). */
  conflict(): void;
  /** The command is run again: after a conflict, or on a fresh connection after a lost one. */
  retry(reason: 'conflict' | 'connection'): void;
}

export interface CommandHandlerOptions {
  /**
   * Says whether an error means the database connection was lost (the storage adapter knows).
   * Such a command is run once more: safe, because its event ids derive from the command id, so
   * an append that did commit before the connection died is recognised and not written twice.
   */
  isConnectionLost?: (error: unknown) => boolean;
  observer?: CommandObserver;
  /** Snapshots for commands that opt in (`snapshot` in the request): long streams fold from them. */
  snapshots?: SnapshotStore;
}

/** The one generic path of every command: load, fold, decide, append with the expected version. */
export class CommandHandler {
  /** Streams seen to exist: a command on one of them is not tried as a creation first. */
  private readonly existing = new RecentStreams(10_000);

  constructor(
    private readonly store: EventStore,
    private readonly options: CommandHandlerOptions = {},
  ) {}

  /**
   * One command on the stream `id` of an aggregate declared once (see aggregate.ts): its stream
   * id, decider and catalog come from the declaration, its `now` from the context.
   */
  handle<C, E extends DomainEvent, S, Id>(
    aggregate: Aggregate<C, E, S, Id>,
    id: Id,
    command: NoInfer<CommandOrBuilder<C, S>>,
    context: CommandContext,
    options?: HandleOptions<S>,
  ): Promise<CommandResult<S>>;
  /** The same path spelt out: for tests and tools that drive a decider without a declaration. */
  handle<C, E extends DomainEvent, S>(request: HandleCommand<C, E, S>): Promise<CommandResult<S>>;
  async handle<C, E extends DomainEvent, S, Id>(
    ...args: [HandleCommand<C, E, S>] | [Aggregate<C, E, S, Id>, Id, CommandOrBuilder<C, S>, CommandContext, HandleOptions<S>?]
  ): Promise<CommandResult<S>> {
    const request = args.length === 1 ? args[0] : commandRequest(...args);
    let reconnected = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(request);
      } catch (error) {
        if (!reconnected && this.options.isConnectionLost?.(error)) {
          // Once only: a database that stays away is answered 503 by the HTTP layer.
          reconnected = true;
          this.options.observer?.retry('connection');
          attempt--;
          continue;
        }
        if (error instanceof WrongExpectedVersionError) this.options.observer?.conflict();
        // The same command raced itself (a retried request arriving twice at once): the loser's
        // append collides with the winner's event ids or version. Answer as the winner did.
        if (error instanceof DuplicateEventIdError || error instanceof WrongExpectedVersionError) {
          const history = await this.store.readStream(request.streamId);
          const already = history.filter((e) => e.metadata.commandId === request.context.commandId);
          if (already.length > 0) {
            const state = fold(request.decider, asDomainEvents<E>(history));
            return { streamId: request.streamId, version: history.at(-1)!.version, state, events: already, duplicate: true };
          }
        }
        const retry = error instanceof WrongExpectedVersionError && request.retryOnConflict && request.ifMatch === undefined;
        if (!retry || attempt >= MAX_ATTEMPTS) throw error;
        this.options.observer?.retry('conflict');
      }
    }
  }

  /**
   * Many commands of one aggregate at once (an import's detections, a chunk at a time): every
   * stream they name read in one query, each command decided in order on its stream's state,
   * and every stream's new events appended in one transaction (EventStore.appendMany). A command
   * already in its stream (the same command id: a resumed import) answers as the first time
   * did. The events are the ones `handle` would append one by one: same data, same ids. When a
   * stream moved meanwhile (nothing is written then), each stream is appended on its own,
   * `concurrency` at a time, and the one that moved has its commands run again one by one
   * through `handle`, with its retries and `options`. Results are in the order of `items`. A command its
   * decider refuses fails the batch (streams appended before it stay appended, as a loop of
   * `handle` calls would leave them); use it for commands that are never refused, or decided
   * against state that only they change.
   */
  async handleBatch<C, E extends DomainEvent, S, Id>(
    aggregate: Aggregate<C, E, S, Id>,
    items: readonly BatchCommand<C, S, Id>[],
    options: HandleOptions<S> & { concurrency?: number } = {},
  ): Promise<CommandResult<S>[]> {
    const outcomes = await this.runBatch(aggregate, items, options, false);
    return outcomes.map((o) => {
      if (!o.ok) throw o.error;
      return o.result;
    });
  }

  /**
   * `handleBatch` for a bulk caller whose commands may be refused one by one (the demo load's
   * visits and registrations): each command's outcome is its result, or the error its decider
   * threw, the very error `handle` would have thrown for it alone; the refused command writes
   * nothing and the others of the batch are appended as `handleBatch` appends them (a refused
   * command leaves its stream's state as it was for the commands after it).
   */
  async handleEach<C, E extends DomainEvent, S, Id>(
    aggregate: Aggregate<C, E, S, Id>,
    items: readonly BatchCommand<C, S, Id>[],
    options: HandleOptions<S> & { concurrency?: number } = {},
  ): Promise<BatchOutcome<S>[]> {
    return this.runBatch(aggregate, items, options, true);
  }

  private async runBatch<C, E extends DomainEvent, S, Id>(
    aggregate: Aggregate<C, E, S, Id>,
    items: readonly BatchCommand<C, S, Id>[],
    options: HandleOptions<S> & { concurrency?: number },
    settle: boolean,
  ): Promise<BatchOutcome<S>[]> {
    const { concurrency = 4, ...handleOptions } = options;
    const requests = items.map((item) => commandRequest(aggregate, item.id, item.command, item.context, handleOptions));
    const byStream = new Map<string, number[]>();
    requests.forEach((r, index) => byStream.set(r.streamId, [...(byStream.get(r.streamId) ?? []), index]));
    const histories = await this.store.readStreams([...byStream.keys()]);
    const decided = [...byStream].map(([streamId, indices]) => ({
      streamId,
      indices,
      batch: this.decideInOrder(
        streamId,
        indices.map((i) => requests[i]!),
        histories.get(streamId) ?? [],
        settle,
      ),
    }));
    const results: BatchOutcome<S>[] = new Array<BatchOutcome<S>>(requests.length);
    // Every stream's events in one transaction (one commit for the batch) …
    const appending = decided.filter((d) => d.batch.commands.some((c) => c.events.length > 0));
    const together =
      appending.length === 0
        ? []
        : await this.store.appendMany(
            appending.map((d) => ({
              streamId: d.streamId,
              events: d.batch.commands.flatMap((c) => c.events),
              expected: d.batch.version === 0 ? 'no_stream' : d.batch.version,
            })),
          );
    if (together) {
      const appended = new Map(together.map((r) => [r.streamId, r.events]));
      for (const d of decided) {
        if (appended.has(d.streamId)) this.existing.add(d.streamId);
        resultsOf(d.streamId, d.batch, appended.get(d.streamId) ?? []).forEach((r, k) => (results[d.indices[k]!] = r));
      }
      return results;
    }
    // … unless a stream moved meanwhile: then stream by stream, and that stream command by command.
    const streams = [...decided];
    const one = async (request: HandleCommand<C, E, S>): Promise<BatchOutcome<S>> => {
      if (!settle) return { ok: true, result: await this.handle(request) };
      try {
        return { ok: true, result: await this.handle(request) };
      } catch (error) {
        return { ok: false, error };
      }
    };
    const worker = async () => {
      for (let next = streams.shift(); next; next = streams.shift()) {
        const appended = await this.appendDecided(next.streamId, next.batch);
        for (const [k, index] of next.indices.entries()) results[index] = appended ? appended[k]! : await one(requests[index]!);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, streams.length)) }, worker));
    return results;
  }

  /** The commands of one stream decided in order on its history, each on the state the ones before it left. */
  private decideInOrder<C, E extends DomainEvent, S>(
    streamId: string,
    requests: readonly HandleCommand<C, E, S>[],
    history: readonly RecordedEvent[],
    settle = false,
  ): DecidedBatch<S> {
    const decider = requests[0]!.decider;
    let state = fold(decider, asDomainEvents<E>(history));
    const version = history.at(-1)?.version ?? 0;
    const commands = requests.map((request): DecidedBatch<S>['commands'][number] => {
      const already = history.filter((e) => e.metadata.commandId === request.context.commandId);
      if (already.length > 0) return { already, events: [], state };
      let decided: { events: NewEvent[]; after: S };
      try {
        const command = typeof request.command === 'function' ? (request.command as (s: S, v: number) => C)(state, version) : request.command;
        const events = decider.decide(command, state);
        decided = { events: toNewEvents(events, request), after: events.reduce((s, e) => decider.evolve(s, e), state) };
      } catch (error) {
        if (!settle) throw error;
        return { already: null, events: [], state, refused: { error } };
      }
      state = decided.after;
      return { already: null, events: decided.events, state };
    });
    if (version > 0) this.existing.add(streamId);
    return { version, commands };
  }

  /**
   * One append of every new event of a decided batch, then each command's result; null when the
   * append lost to another writer (or met ids already stored), for the caller to go one by one.
   */
  private async appendDecided<S>(streamId: string, batch: DecidedBatch<S>): Promise<BatchOutcome<S>[] | null> {
    const events = batch.commands.flatMap((c) => c.events);
    let recorded: RecordedEvent[] = [];
    if (events.length > 0) {
      try {
        const result = await this.store.append(streamId, events, batch.version === 0 ? 'no_stream' : batch.version);
        if (result.duplicate) return null;
        recorded = result.events;
        this.existing.add(streamId);
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) this.options.observer?.conflict();
        if (error instanceof WrongExpectedVersionError || error instanceof DuplicateEventIdError) return null;
        throw error;
      }
    }
    return resultsOf(streamId, batch, recorded);
  }

  private async attempt<C, E extends DomainEvent, S>(request: HandleCommand<C, E, S>): Promise<CommandResult<S>> {
    if (request.known) {
      const onKnown = await this.onKnownState(request, request.known);
      if (onKnown) return onKnown;
    }
    const created = await this.asNewStream(request);
    if (created) return created;
    const { streamId, decider, context } = request;
    const policy = this.options.snapshots ? request.snapshot : undefined;
    const snapshot = policy ? await this.options.snapshots!.load(streamId, policy.key) : null;
    // With a snapshot only the events after it are read; a retry whose events lie before it is
    // not seen below, so its decider runs again, and its deterministic event ids make the store
    // answer with the original append (handled in handle()).
    const history = await this.store.readStream(streamId, snapshot ? { fromVersion: snapshot.version + 1 } : {});
    const version = history.at(-1)?.version ?? snapshot?.version ?? 0;
    if (version > 0) this.existing.add(streamId);
    const state = snapshot ? asDomainEvents<E>(history).reduce((s, e) => decider.evolve(s, e), snapshot.state as S) : fold(decider, asDomainEvents<E>(history));
    request.precondition?.(state);

    // A retried command (same id) already in the stream: answer as the first time did.
    const already = history.filter((e) => e.metadata.commandId === context.commandId);
    if (already.length > 0) return { streamId, version, state, events: already, duplicate: true };

    if (request.ifMatch !== undefined && request.ifMatch !== version) {
      throw new PreconditionFailedError(request.ifMatch, version);
    }
    const command = typeof request.command === 'function' ? (request.command as (s: S, v: number) => C)(state, version) : request.command;
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { streamId, version, state, events: [], duplicate: false };

    const newEvents = toNewEvents(decided, request);
    const result = await this.store.append(streamId, newEvents, version === 0 ? 'no_stream' : version);
    const after = decided.reduce((s, e) => decider.evolve(s, e), state);
    if (policy && !result.duplicate && result.version - (snapshot?.version ?? 0) >= policy.every) {
      // Best effort: a failed snapshot write costs the next command a longer read, nothing else.
      await this.options.snapshots!.save(streamId, policy.key, { version: result.version, state: after }).catch(() => undefined);
    }
    return { streamId, version: result.version, state: after, events: result.events, duplicate: result.duplicate };
  }

  /**
   * The command decided on the state the caller holds, appended with its version: no read.
   * Null (nothing written) when the stream moved since, for the ordinary path to decide again on
   * what is stored (a retry of this very command is recognised there by its command id).
   */
  private async onKnownState<C, E extends DomainEvent, S>(
    request: HandleCommand<C, E, S>,
    known: { state: S; version: number },
  ): Promise<CommandResult<S> | null> {
    const { streamId, decider } = request;
    if (request.ifMatch !== undefined || known.version === 0) return null;
    let decided: E[];
    try {
      request.precondition?.(known.state);
      const command = typeof request.command === 'function' ? (request.command as (s: S, v: number) => C)(known.state, known.version) : request.command;
      decided = decider.decide(command, known.state);
    } catch {
      return null; // refused on the state held: the ordinary path decides on the stored one, and says why
    }
    if (decided.length === 0) return null;
    let result: AppendResult;
    try {
      result = await this.store.append(streamId, toNewEvents(decided, request), known.version);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return null;
      throw error;
    }
    if (result.duplicate) return null;
    this.existing.add(streamId);
    const after = decided.reduce((s, e) => decider.evolve(s, e), known.state);
    const policy = this.options.snapshots ? request.snapshot : undefined;
    // Every `every` versions, as the ordinary path would: the next reader folds from here.
    if (policy && Math.floor(result.version / policy.every) > Math.floor(known.version / policy.every)) {
      await this.options.snapshots!.save(streamId, policy.key, { version: result.version, state: after }).catch(() => undefined);
    }
    return { streamId, version: result.version, state: after, events: result.events, duplicate: false };
  }

  /**
   * A command that creates its stream needs no read: decided on the empty state and appended with
   * `no_stream`, it lands only if the stream does not exist, and then the empty state was the true
   * one (deciders are pure). One round trip instead of two for every creation (a visit, a
   * registration). Anything else (the decider refuses the empty state or decides nothing, the
   * stream exists, the command is a retry of one already stored) returns null, and the ordinary
   * path decides on the real state. A stream seen to exist is remembered, so a wrong guess costs
   * one append attempt per stream and process.
   */
  private async asNewStream<C, E extends DomainEvent, S>(request: HandleCommand<C, E, S>): Promise<CommandResult<S> | null> {
    const { streamId, decider } = request;
    if (request.ifMatch !== undefined || (request.snapshot && this.options.snapshots) || this.existing.has(streamId)) return null;
    const state = decider.initialState();
    let decided: E[];
    let newEvents: NewEvent[];
    try {
      request.precondition?.(state);
      const command = typeof request.command === 'function' ? (request.command as (s: S, v: number) => C)(state, 0) : request.command;
      decided = decider.decide(command, state);
      if (decided.length === 0) return null;
      newEvents = toNewEvents(decided, request);
    } catch {
      return null; // refused on the empty state: the stream probably exists; the real state decides
    }
    try {
      const result = await this.store.append(streamId, newEvents, 'no_stream');
      this.existing.add(streamId);
      if (!result.duplicate)
        return { streamId, version: result.version, state: decided.reduce((s, e) => decider.evolve(s, e), state), events: result.events, duplicate: false };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError || error instanceof DuplicateEventIdError)) throw error;
    }
    this.existing.add(streamId);
    return null;
  }
}

/** One command of a batch (`handleBatch`): the stream's id, the command, its own context. */
export interface BatchCommand<C, S, Id> {
  id: Id;
  command: NoInfer<CommandOrBuilder<C, S>>;
  context: CommandContext;
}

/** A stream's commands decided in memory: each one's new events and the state after it, or the events it appended before. */
interface DecidedBatch<S> {
  version: number;
  /** `refused`: the decider's error (handleEach only); such a command has no events. */
  commands: { already: RecordedEvent[] | null; events: NewEvent[]; state: S; refused?: { error: unknown } }[];
}

/** One item's outcome in a service's batch (a sync, a survey): its answer, or the error the single call would have thrown. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** One command's outcome in `handleEach`: its result, or the error `handle` would have thrown. */
export type BatchOutcome<S> = { ok: true; result: CommandResult<S> } | { ok: false; error: unknown };

/** The decided events as the store takes them: checked against the catalog, ids from the command id. */
function toNewEvents<C, E extends DomainEvent, S>(decided: readonly E[], request: HandleCommand<C, E, S>): NewEvent[] {
  const { context, streamId } = request;
  return decided.map((event, index) => {
    const definition = request.catalog[event.type];
    if (!definition) throw new Error(`event type ${event.type} is not in the catalog`);
    // The domain produced it, so a failure here is our bug (500), not the caller's.
    const data = definition.schema.parse(event.data) as Record<string, unknown>;
    return {
      eventId: deterministicUuid(`${context.commandId}:${streamId}:${index}`),
      type: event.type,
      data,
      // Keys in sorted order: the store's canonical JSON then needs no reordering.
      metadata: {
        actorId: context.actor.id,
        actorRole: context.actor.role,
        causationId: context.causationId ?? null,
        commandId: context.commandId,
        correlationId: context.correlationId,
        recordedAt: context.now.toISOString(),
        schemaVersion: definition.version,
      },
    };
  });
}

/** Each command's result once its stream's decided events are stored as `recorded`. */
function resultsOf<S>(streamId: string, batch: DecidedBatch<S>, recorded: readonly RecordedEvent[]): BatchOutcome<S>[] {
  const byId = new Map(recorded.map((e) => [e.eventId, e]));
  let version = batch.version;
  return batch.commands.map((c): BatchOutcome<S> => {
    if (c.refused) return { ok: false, error: c.refused.error };
    if (c.already) return { ok: true, result: { streamId, version: batch.version, state: c.state, events: c.already, duplicate: true } };
    const mine = c.events.map((e) => byId.get(e.eventId)!);
    version = mine.at(-1)?.version ?? version;
    return { ok: true, result: { streamId, version, state: c.state, events: mine, duplicate: false } };
  });
}

/** A bounded set of stream ids, the least recently added dropped first. */
class RecentStreams {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
  }
}

/**
 * A request that runs several commands gives each its own id derived from the request's, so a
 * retried request maps to the same events and the commands are not mistaken for retries.
 */
export function subCommand(context: CommandContext, part: string): CommandContext {
  return { ...context, commandId: deterministicUuid(`${context.commandId}:${part}`), causationId: context.commandId };
}
