import type { Database } from './database';
import { yieldEvery } from '../application/yield-to-event-loop';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CompiledQuery, sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import {
  DuplicateEventIdError,
  InvalidRecordedAtError,
  START,
  WrongExpectedVersionError,
  type AppendResult,
  type BrokenLink,
  type EventStore,
  type ExpectedVersion,
  type InlineProjection,
  type InlineRows,
  type InlineGuard,
  type InlineStatement,
  type InlineWrite,
  type NewEvent,
  type PendingEvent,
  type Position,
  type ReadAllOptions,
  type ReadStreamsOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type VerifyOptions,
  type VerifyReport,
} from '../application/event-store';
import { canonicalJson, chainedHash, GENESIS_HASH } from '../application/hash-chain';
import { isUniqueViolation } from '../application/errors';
import { UpcasterRegistry } from '../application/upcasters';
import { EventMac, INSECURE_DEFAULT_MAC_KEY, MAC_SHARDS, macShard, xorHex, ZERO_ACC } from './event-mac';
import { HeadCache, NO_HEAD, type StreamHead } from './head-cache';
import { assertSafeIdentifier, channelFor, EVENTS_CHANNEL, type SqlDatabase } from './sql-database';
import { ShadowTables } from './shadow-tables';
import { applyPage } from './rebuild-page';
import { metadataColumn, unreadMetadata } from './rebuild-read';
import { createHash } from 'node:crypto';
import { checkLink, checkStoredText, toIso } from './chain-link';
import { checkHead, verifyWholeLog, type HeadRow } from './log-verifier';
import { appendManyStatement, MAX_STATEMENT_PARAMS, partParams, statementText, type StreamPart } from './append-many-statement';

const PAD = 20;

/** PostgreSQL broke a deadlock by failing this transaction (SQLSTATE 40P01). */
const isDeadlock = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '40P01';
/**
 * Attempts of an append whose transaction the server chose as a deadlock victim. The victim wrote
 * nothing, so trying again is safe; two writers that take rows in opposite orders (a batch of
 * visits and a single visit upserting one coverage month) meet rarely and part after one retry.
 */
const DEADLOCK_ATTEMPTS = 5;
/** A random pause before the retry, so that the two writers do not meet again at once. */
const deadlockPause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
/** `once` again while the server fails it as a deadlock victim, up to DEADLOCK_ATTEMPTS; the last failure is thrown. */
async function retryingDeadlocks<T>(once: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once();
    } catch (error) {
      if (!isDeadlock(error) || attempt >= DEADLOCK_ATTEMPTS) throw error;
      await deadlockPause(attempt);
    }
  }
}
/** Switches of a blue/green rebuild tried with a lock timeout before one that waits as long as it takes. */
const SWITCH_ATTEMPTS = 20;

/** How far a rebuild of several projections got: log events read, and each one's events applied. */
export interface RebuildProgress {
  read: number;
  applied: ReadonlyMap<string, number>;
}

/** One projection's shadow in a rebuild of several. */
interface ShadowBuild {
  projection: InlineProjection & { tables: readonly string[] };
  shadow: ShadowTables;
  handles: ReadonlySet<string>;
  /** Its pages' writes so far, one after another. */
  written: Promise<void>;
  switched: boolean;
}

/** The events of a page this build's projection handles, in the page's order. */
function ownEvents(build: ShadowBuild, events: readonly RecordedEvent[]): RecordedEvent[] {
  return build.handles.has('*') ? [...events] : events.filter((e) => build.handles.has(e.type));
}

/** At most `limit` of the work given to `run` at once; the rest waits its turn, first come first served. */
class Turns {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** Pages of a rebuild of several projections read ahead of the slowest one's writes. */
const PAGES_AHEAD = 2;
/** Events a rebuild reads from the log at a time, for one projection. */
const PAGE_OF_ONE = 1000;
/**
 * And for several: the county's sixteen rebuilt from pages of 4,000 took 14.1 s against 21.7 s from
 * pages of 1,000 (fewer transactions, each projection's share a longer run of its rows); 8,000 and
 * 16,000 no faster (BENCHMARKS.md, session 23).
 */
const PAGE_OF_SEVERAL = 4000;

/** Positions are `transactionId-globalPosition`, zero-padded so they also sort as strings. */
export function encodePosition(transactionId: string | number | bigint, globalPosition: string | number | bigint): Position {
  return `${String(transactionId).padStart(PAD, '0')}-${String(globalPosition).padStart(PAD, '0')}` as Position;
}

export function decodePosition(position: Position): { transactionId: string; globalPosition: string } {
  if (position === START) return { transactionId: '0', globalPosition: '0' };
  const match = /^(\d{1,20})-(\d{1,20})$/.exec(position);
  if (!match) throw new Error(`not a position of this store: ${position}`);
  return { transactionId: BigInt(match[1]!).toString(), globalPosition: BigInt(match[2]!).toString() };
}

interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  version: string | number;
  type: string;
  schema_version: number;
  /**
   * The hashed text (data_jcs) as it is stored: what the hash covers is what every reader gets
   * (0191). Only a row without its text (one that only an edit of the log leaves) falls back to
   * the jsonb, which the verify then finds altered.
   */
  data: string | null;
  /** Written from EventMetadata by append, and covered by the event's hash. */
  metadata: RecordedEvent['metadata'];
  recorded_at: Date | string;
  prev_hash: string;
  hash: string;
}

/** An event row's columns, its metadata read by `metadata` (a rebuild reads only some: rebuild-read.ts). */
const eventColumnsText = (metadata = 'metadata') =>
  `global_position, transaction_id::text as transaction_id, event_id, stream_id, version, type, schema_version, coalesce(data_jcs, data::text) as data, ${metadata}, recorded_at, prev_hash, hash`;
const EVENT_COLUMNS_TEXT = eventColumnsText();
const EVENT_COLUMNS = sql.raw(EVENT_COLUMNS_TEXT);

const READ_STREAM_TEXT = `select ${EVENT_COLUMNS_TEXT} from es_events where stream_id = $1 and version >= $2::bigint and version <= $3::bigint order by version`;

function fromRow(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    version: Number(row.version),
    type: row.type,
    schemaVersion: row.schema_version,
    data: storedData(row),
    metadata: row.metadata,
    recordedAt: toIso(row.recorded_at),
    position: encodePosition(row.transaction_id, row.global_position),
    hash: row.hash,
    prevHash: row.prev_hash,
  };
}

/**
 * The event's data from its hashed text. A text missing or not JSON can only be an edit of the
 * log: the read stops with a message that says so (the verify reports the event as altered).
 */
function storedData(row: EventRow): Record<string, unknown> {
  let data: unknown = null;
  try {
    data = row.data === null ? null : JSON.parse(row.data);
  } catch {
    // reported below
  }
  if (data === null || typeof data !== 'object') throw new AlteredEventError(row.event_id);
  return data as Record<string, unknown>;
}

/** An event whose stored data is missing or not a JSON object: the log was edited outside the service. */
export class AlteredEventError extends Error {
  constructor(readonly eventId: string) {
    super(`event ${eventId}: its stored data is missing or not JSON, the log was altered outside the service (run the verify)`);
    this.name = 'AlteredEventError';
  }
}

function advisoryKey(name: string): bigint {
  // Stable 63-bit key from a name, for pg_advisory_* locks.
  let h = 1469598103934665603n;
  for (const ch of Buffer.from(name)) h = ((h ^ BigInt(ch)) * 1099511628211n) & 0x7fffffffffffffffn;
  return h;
}

export const INLINE_PROJECTION_LOCK = (name: string) => advisoryKey(`inline-projection:${name}`);

export interface SqlEventStoreOptions {
  upcasters?: UpcasterRegistry;
  inlineProjections?: readonly InlineProjection[];
  /**
   * Send NOTIFY after appends so tailing (async) projections wake up (default true). Off when
   * no process runs an async projection: nobody listens, and each NOTIFY is a transaction.
   */
  notify?: boolean;
  /**
   * How long appends gather before their one NOTIFY (default 5 ms). A bulk load (the demo county)
   * sets it longer: every NOTIFY wakes every tailing projection and the ledger for a small batch,
   * which on PGlite cost about a third of the load's database time.
   */
  notifyAfterMs?: number;
  /** The key of the event MACs (see EventMac); the composition root passes the configured one. */
  macKey?: Buffer;
}

/** NOTIFY gathering for a bulk load: the projections catch up in batches of a quarter second's appends. */
export const BULK_LOAD_NOTIFY_AFTER_MS = 250;

/**
 * The event store on PostgreSQL or PGlite (one implementation, two SqlDatabase adapters).
 */
export class SqlEventStore implements EventStore {
  private readonly db: Kysely<Database>;
  private readonly upcasters: UpcasterRegistry;
  private readonly inline: readonly InlineProjection[];
  private readonly channel: string;
  private readonly notify: boolean;
  private readonly notifyAfterMs: number;
  private readonly heads = new HeadCache(10_000);
  private readonly mac: EventMac;

  constructor(
    private readonly database: SqlDatabase,
    options: SqlEventStoreOptions = {},
  ) {
    this.db = database.db;
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.inline = options.inlineProjections ?? [];
    this.channel = channelFor(database.schema, EVENTS_CHANNEL);
    this.notify = options.notify ?? true;
    this.notifyAfterMs = options.notifyAfterMs ?? 5;
    this.mac = new EventMac(options.macKey ?? INSECURE_DEFAULT_MAC_KEY);
    // Without the key (a tool that only reads, such as audit:verify) MACs cannot be checked.
    this.checkMacs = options.macKey !== undefined;
  }
  private readonly checkMacs: boolean;

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const ids = events.map((e) => e.eventId);
    if (new Set(ids).size !== ids.length) throw new DuplicateEventIdError(ids, 'the same event id appears twice in one append');
    // Refused before anything is written: a recorded-at PostgreSQL would read as another instant.
    for (const e of events) canonicalInstant(e.metadata.recordedAt);
    const inline = this.inline.filter((p) => events.some((e) => p.handles.includes(e.type)));

    const recorded = await retryingDeadlocks(() => this.appendOnce(streamId, events, expected, inline)).catch(async (error: unknown) => {
      // An id already stored (in this stream under `any`, or in another stream): the append was
      // rolled back; the stored events are the answer if they are the same, else it is an error.
      if (!isUniqueViolation(error, 'es_events_event_id_key')) throw error;
      const replay = await this.findStored(this.db, streamId, events);
      if (!replay) throw error;
      return { events: replay, duplicate: true };
    });

    const events_ = recorded.events.map((e) => this.upcasters.apply(e));
    const last = recorded.events[recorded.events.length - 1]!;
    if (!recorded.duplicate) {
      this.heads.remember(streamId, last.version, last.hash, last.recordedAt);
      this.notifySoon();
    }
    return {
      streamId,
      version: last.version,
      events: events_,
      duplicate: recorded.duplicate,
    };
  }

  /**
   * Appends to many streams at once (an import chunk's findings): one statement moves every
   * head, the MAC shards and inserts every event with the inline rows that ride along
   * (appendManyStatement), in a transaction with whatever inline projection needs it (an
   * escalation's update). Heads come from the cache (a batch has just read its streams), the
   * rest in one read. Null, with nothing written, when any head is not the expected one (or
   * an event id is already stored, or the server broke a deadlock five times running): the caller then appends one by one.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[] | null> {
    // A deadlock victim wrote nothing: the batch is tried again whole (falling back to one append
    // per stream would turn a transient clash into hundreds of statements, and clash again).
    return retryingDeadlocks(() => this.appendManyOnce(appends)).catch((error: unknown) => {
      if (isDeadlock(error)) return null;
      throw error;
    });
  }

  private async appendManyOnce(appends: readonly StreamAppend[]): Promise<AppendResult[] | null> {
    const ordered = appends
      .map((a, index) => ({ ...a, index, shard: macShard(a.streamId, MAC_SHARDS) }))
      .sort((a, b) => a.shard - b.shard || (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
    if (new Set(appends.map((a) => a.streamId)).size !== appends.length) throw new Error('appendMany takes each stream once');
    const heads = new Map<string, StreamHead>();
    const unknown: string[] = [];
    for (const a of ordered) {
      if (a.events.length === 0) throw new Error('append needs at least one event');
      for (const e of a.events) canonicalInstant(e.metadata.recordedAt);
      const wanted = a.expected === 'no_stream' ? 0 : a.expected;
      const cached = wanted === 0 ? NO_HEAD : this.heads.get(a.streamId);
      if (cached && cached.version === wanted) heads.set(a.streamId, cached);
      else unknown.push(a.streamId);
    }
    for (const [streamId, head] of await this.readHeads(unknown)) heads.set(streamId, head);
    if (ordered.some((a) => heads.get(a.streamId)!.version !== (a.expected === 'no_stream' ? 0 : a.expected))) return null;

    const planned = ordered.map((a) => {
      const head = heads.get(a.streamId)!;
      const inline = this.inline.filter((p) => a.events.some((e) => p.handles.includes(e.type)));
      const batch = serialise(clampRecordedAt(a.events, head.recordedAt ?? null));
      const hashes = chain(a.streamId, batch, head.version, head.hash);
      const pending = pendingFrom(a.streamId, batch, head.version, head.hash, hashes);
      const answers = this.batchAnswers(inline, pending);
      return { ...a, head, inline, batch, hashes, answers };
    });
    const lockKeys = [...new Set(planned.flatMap((a) => a.inline))].map((p) => INLINE_PROJECTION_LOCK(p.name));
    // The guards of the projections that gave one (the schedule's "built?"), each checked once.
    const guards = new Map<string, string>();
    for (const a of planned) for (const answer of a.answers) if (answer.guard !== null) guards.set(answer.projection.name, answer.guard);
    const headMoved = new Error('a head moved');
    let recorded: { index: number; streamId: string; events: RecordedEvent[] }[];
    try {
      recorded = await this.db.transaction().execute(async (trx) => {
        // Checked first, in the transaction (the guard takes its FOR SHARE lock until the commit):
        // a projection whose guard does not hold writes only its rows, in the statement, as a
        // one-stream append's statement would; one whose guard holds applies in the transaction.
        const holding = await this.guardsHolding(trx, guards);
        const writes = planned.map((a) => batchWrites(a.answers, holding));
        const parts = planned.map((a, k) => this.streamPart(a.streamId, a.batch, a.head, a.hashes, writes[k]!.rows));
        const apply = new Map<string, RecordedEvent[]>();
        const inserted = new Map<string, InsertedRow[]>();
        // Several statements only for a batch too large for one statement's parameters.
        for (let from = 0; from < planned.length;) {
          let to = from + 1;
          for (let params = partParams(parts[from]!); to < planned.length && (params += partParams(parts[to]!)) <= MAX_STATEMENT_PARAMS;) to++;
          // Each projection's rows for all the statement's streams at once: said per stream, two
          // streams' upserts of one key (two visits to a group in a month) would meet in one statement.
          const { rows, applyToo } = this.combinedRows(planned.slice(from, to), writes.slice(from, to));
          const chunk = parts.slice(from, to).map((part, k) => ({ ...part, rows: k === 0 ? rows : [] }));
          const { text, params } = appendManyStatement(chunk, lockKeys);
          for (const row of (await trx.executeQuery<InsertedRow & { stream_id: string }>(CompiledQuery.raw(text, params))).rows) {
            const list = inserted.get(row.stream_id) ?? [];
            list.push(row);
            inserted.set(row.stream_id, list);
          }
          for (let k = from; k < to; k++) writes[k]!.apply.push(...applyToo.filter((name) => writes[k]!.rowsOf.includes(name)));
          from = to;
        }
        const done: { index: number; streamId: string; events: RecordedEvent[] }[] = [];
        // Each projection that needs the transaction applies every stream's events in one call
        // (the detection projection then updates a chunk's escalations in one statement).
        for (const [k, a] of planned.entries()) {
          const rows = inserted.get(a.streamId);
          if (!rows || rows.length !== a.batch.events.length) throw headMoved;
          const events = recordedFrom(a.streamId, a.batch, a.head.version, a.head.hash, a.hashes, rows);
          for (const name of writes[k]!.apply) apply.set(name, [...(apply.get(name) ?? []), ...events]);
          done.push({ index: a.index, streamId: a.streamId, events });
        }
        for (const [name, events] of apply) await this.applyInline(trx, events, [name]);
        return done;
      });
    } catch (error) {
      if (error === headMoved || isUniqueViolation(error, 'es_events_event_id_key') || isDeadlock(error)) {
        for (const a of ordered) this.heads.forget(a.streamId);
        if (isDeadlock(error)) throw error; // tried again by appendMany
        return null;
      }
      throw error;
    }
    const results = new Array<AppendResult>(appends.length);
    for (const r of recorded) {
      const last = r.events[r.events.length - 1]!;
      this.heads.remember(r.streamId, last.version, last.hash, last.recordedAt);
      results[r.index] = { streamId: r.streamId, version: last.version, events: r.events.map((e) => this.upcasters.apply(e)), duplicate: false };
    }
    this.notifySoon();
    return results;
  }

  /**
   * What each inline projection of a batch's stream would write (`rowsFor`), before any guard is
   * checked: its rows and its guard, or null when it needs the transaction (an escalation's
   * update). Unlike a single append's all-or-nothing, one projection needing the transaction
   * leaves the others' rows in the statement: the batch has its transaction anyway.
   */
  private batchAnswers(inline: readonly InlineProjection[], pending: readonly PendingEvent[]): BatchAnswer[] {
    return inline.map((projection) => {
      const relevant = pending.filter((e) => projection.handles.includes(e.type)).map((e) => this.upcasters.apply(e));
      const answer = projection.rowsFor?.(relevant) ?? null;
      const guard = answer?.find(isGuard)?.transactionWhen ?? null;
      // A sub-statement of the one-stream append (a visit's schedule mark) has no place in the batch
      // statement: that projection applies in the batch's transaction instead.
      const rows =
        answer === null || answer.some(isStatement) ? null : answer.filter((w): w is InlineRows => !isGuard(w) && !isStatement(w) && w.rows.length > 0);
      return { projection, relevant, rows, guard };
    });
  }

  /** The projections whose guard holds (one statement for all of them), in the batch's transaction. */
  private async guardsHolding(trx: Transaction<Database>, guards: ReadonlyMap<string, string>): Promise<Set<string>> {
    if (guards.size === 0) return new Set();
    const names = [...guards.keys()];
    const select = names.map((name, i) => `(${guards.get(name)!}) as g${i}`).join(', ');
    const row = (await trx.executeQuery<Record<string, boolean>>(CompiledQuery.raw(`select ${select}`, []))).rows[0]!;
    return new Set(names.filter((_, i) => row[`g${i}`] === true));
  }

  /**
   * The rows of a statement's streams, each projection asked once for all their events (its
   * rows then aggregate as one append's do: one upsert per key). A projection that answers null
   * for the streams together (a person in two of them) applies them in the transaction instead.
   */
  private combinedRows(streams: readonly { answers: readonly BatchAnswer[] }[], writes: readonly StreamWrites[]): { rows: InlineRows[]; applyToo: string[] } {
    const byProjection = new Map<string, { projection: InlineProjection; events: PendingEvent[] }>();
    streams.forEach((s, k) => {
      for (const answer of s.answers) {
        if (!writes[k]!.rowsOf.includes(answer.projection.name)) continue;
        const entry = byProjection.get(answer.projection.name) ?? { projection: answer.projection, events: [] };
        entry.events.push(...answer.relevant);
        byProjection.set(answer.projection.name, entry);
      }
    });
    const rows: InlineRows[] = [];
    const applyToo: string[] = [];
    for (const [name, { projection, events }] of byProjection) {
      const answer = projection.rowsFor?.(events) ?? null;
      if (answer === null || answer.some(isStatement)) applyToo.push(name);
      else for (const w of answer) if (!isGuard(w) && !isStatement(w) && w.rows.length > 0) rows.push(w);
    }
    return { rows, applyToo };
  }

  /** One stream's part of appendManyStatement: its head before and after, MACs, event rows. */
  private streamPart(streamId: string, batch: Serialised, head: StreamHead, hashes: readonly string[], rows: readonly InlineRows[]): StreamPart {
    const n = batch.events.length;
    let acc = ZERO_ACC;
    for (const h of hashes) acc = xorHex(acc, this.mac.accumulate(h));
    const events = batch.events.map((e, i) => [
      e.eventId,
      streamId,
      head.version + i + 1,
      e.type,
      e.metadata.schemaVersion,
      batch.dataJson[i],
      batch.metadataJson[i],
      e.metadata.recordedAt,
      i === 0 ? head.hash : hashes[i - 1],
      hashes[i],
      this.mac.event(hashes[i]!),
    ]);
    return {
      streamId,
      expectedVersion: head.version,
      expectedHash: head.hash,
      newVersion: head.version + n,
      newHash: hashes[n - 1]!,
      lastRecordedAt: batch.events[n - 1]!.metadata.recordedAt,
      headMac: this.mac.head(streamId, head.version + n, hashes[n - 1]!),
      shard: macShard(streamId, MAC_SHARDS),
      acc,
      events,
      rows,
    };
  }

  /** The heads of many streams in one read; a stream that does not exist has NO_HEAD. */
  private async readHeads(streamIds: readonly string[]): Promise<Map<string, StreamHead>> {
    const heads = new Map<string, StreamHead>();
    if (streamIds.length === 0) return heads;
    const rows = await sql<{ stream_id: string; version: string; last_hash: string; last_recorded_at: Date | string | null }>`
      select stream_id, version, last_hash, last_recorded_at from es_streams where stream_id = any(${[...streamIds]}::text[])`.execute(this.db);
    for (const id of streamIds) heads.set(id, NO_HEAD);
    for (const row of rows.rows)
      heads.set(row.stream_id, {
        version: Number(row.version),
        hash: row.last_hash,
        recordedAt: row.last_recorded_at === null ? null : toIso(row.last_recorded_at),
      });
    return heads;
  }

  /**
   * The one append path. Every append is one statement that moves the head only if it is still
   * the version and hash the events were chained to, adds the events' MACs to the stream's
   * accumulator shard, and inserts the events only if the head moved (data-modifying CTEs are
   * one atomic statement; the insert reads the head update's RETURNING, so a losing writer draws
   * no position). An inline projection that can say its writes as plain inserts (`rowsFor`)
   * has them carried by the same statement, read from its RETURNING so they happen only with the
   * events: one round trip, no BEGIN or COMMIT. Any other inline projection runs in a
   * transaction right after the statement (Marten's quick append, Emmett's before-commit hook).
   * The head comes from nowhere for a new stream, from the head cache when it agrees with
   * the expected version, else from one read. Nothing inserted means another writer moved the
   * head: read it again and either report the conflict, recognise our own earlier attempt, or
   * (under `any`) chain to the new head and try again.
   */
  private async appendOnce(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    inline: readonly InlineProjection[],
  ): Promise<{ events: RecordedEvent[]; duplicate: boolean }> {
    const wanted = expected === 'no_stream' ? 0 : expected;
    for (let attempt = 1; ; attempt++) {
      let head = attempt === 1 && wanted === 0 ? NO_HEAD : attempt === 1 && wanted !== 'any' ? this.heads.get(streamId) : undefined;
      if (!head || (wanted !== 'any' && head.version !== wanted)) head = await this.readHead(streamId);
      if (wanted !== 'any' && head.version !== wanted) {
        // A retried append whose first attempt already landed is not a conflict: answer as then.
        const replay = await this.findStored(this.db, streamId, events);
        if (replay) return { events: replay, duplicate: true };
        throw new WrongExpectedVersionError(streamId, expected, head.version);
      }
      const batch = serialise(clampRecordedAt(events, head.recordedAt ?? null));
      const hashes = chain(streamId, batch, head.version, head.hash);
      const params = this.statementParams(streamId, batch, head, hashes, inline);
      const kind = head.version === 0 ? 'new' : 'move';
      const writes = inline.length > 0 ? this.inlineWrites(inline, pendingFrom(streamId, batch, head.version, head.hash, hashes)) : NO_WRITES;
      let inserted: InsertedRow[] | { events: RecordedEvent[] } | null;
      if (writes === null) inserted = await this.appendWithInline(streamId, batch, head, hashes, kind, params);
      // A guard refused lately: straight to the transaction, the other projections' rows still
      // riding in the append statement.
      else if (writes.refusedLately) inserted = await this.appendWithInline(streamId, batch, head, hashes, kind, params, { ...writes, guards: [] });
      else {
        inserted = await this.runAppend(this.db, kind, params, writes);
        if (!inserted && writes.guards.length > 0) {
          // A guard refused (or the head moved: the transaction tells which). Its projections take
          // the transaction for a while, rather than paying the refused statement every append.
          for (const name of writes.guarded) this.guardRefused.set(name, GUARD_REFUSED_APPENDS);
          inserted = await this.appendWithInline(streamId, batch, head, hashes, kind, params, { ...writes, guards: [] });
        }
      }
      if (inserted)
        return {
          events: Array.isArray(inserted) ? recordedFrom(streamId, batch, head.version, head.hash, hashes, inserted) : inserted.events,
          duplicate: false,
        };
      this.heads.forget(streamId);
      if (attempt >= MAX_APPEND_ATTEMPTS) throw new WrongExpectedVersionError(streamId, expected, (await this.readHead(streamId)).version);
    }
  }

  /**
   * The append and the inline projections in one transaction. With `carried`, the rows of the
   * projections that gave them ride in the append statement and only the guarded ones apply.
   */
  private async appendWithInline(
    streamId: string,
    batch: Serialised,
    head: StreamHead,
    hashes: readonly string[],
    kind: 'new' | 'move',
    params: unknown[],
    carried?: InlineWrites,
  ): Promise<{ events: RecordedEvent[] } | null> {
    return this.db.transaction().execute(async (trx) => {
      const inserted = await this.runAppend(trx, kind, params, carried);
      if (!inserted) return null;
      const appended = recordedFrom(streamId, batch, head.version, head.hash, hashes, inserted);
      await this.applyInline(trx, appended, carried?.guarded);
      return { events: appended };
    });
  }

  /** Guarded projections whose guard refused lately: appends left before they try the statement again. */
  private readonly guardRefused = new Map<string, number>();

  /**
   * The inline projections' writes as rows for the append statement (and the guards it checks),
   * or null when one of them needs the transaction (no `rowsFor`, it answered null, or its guard
   * refused lately).
   */
  private inlineWrites(inline: readonly InlineProjection[], pending: readonly PendingEvent[]): InlineWrites | null {
    const writes: InlineWrites = { rows: [], statements: [], guards: [], guarded: [], refusedLately: false };
    for (const projection of inline) {
      if (!projection.rowsFor) return null;
      const relevant = pending.filter((e) => projection.handles.includes(e.type)).map((e) => this.upcasters.apply(e));
      const answer = projection.rowsFor(relevant);
      if (!answer) return null;
      for (const w of answer) {
        if (isGuard(w)) {
          writes.guards.push(w.transactionWhen);
          writes.guarded.push(projection.name);
          const left = this.guardRefused.get(projection.name);
          if (left !== undefined) {
            writes.refusedLately = true;
            if (left <= 1) this.guardRefused.delete(projection.name);
            else this.guardRefused.set(projection.name, left - 1);
          }
        } else if (isStatement(w)) writes.statements.push(w);
        else if (w.rows.length > 0) writes.rows.push(w);
      }
    }
    return writes;
  }

  /** The append statement: prepared (parsed and planned once per connection) outside a transaction. */
  private async runAppend(on: Kysely<Database>, kind: 'new' | 'move', params: unknown[], writes: InlineWrites = NO_WRITES): Promise<InsertedRow[] | null> {
    const rows = (params.length - HEAD_PARAMS) / PARAMS_PER_EVENT;
    const plain = writes.rows.length === 0 && writes.statements.length === 0 && writes.guards.length === 0;
    const { name, text, prepared } = plain
      ? { name: `es_append_${kind}_${rows}`, text: oneStatementText(kind, rows), prepared: rows <= PREPARED_MAX_EVENTS }
      : withRowsText(kind, rows, writes);
    const all = plain ? params : [...params, ...writes.rows.flatMap((w) => w.rows.flat()), ...writes.statements.flatMap((w) => w.params)];
    if (prepared && on !== this.db) this.database.nameStatement?.(name, text);
    const inserted =
      on === this.db && prepared
        ? await this.database.prepared<InsertedRow>(name, text, all)
        : (await on.executeQuery<InsertedRow>(CompiledQuery.raw(text, all))).rows;
    return inserted.length === 0 ? null : inserted;
  }

  private statementParams(streamId: string, batch: Serialised, head: StreamHead, hashes: readonly string[], inline: readonly InlineProjection[]): unknown[] {
    const n = batch.events.length;
    const newVersion = head.version + n;
    const lastHash = hashes[n - 1]!;
    const macs = hashes.map((h) => this.mac.event(h));
    let acc = ZERO_ACC;
    for (const h of hashes) acc = xorHex(acc, this.mac.accumulate(h));
    const lastRecordedAt = batch.events[n - 1]!.metadata.recordedAt;
    // The shared locks of the inline projections that will run (held against their rebuild).
    const locks = `{${inline.map((p) => INLINE_PROJECTION_LOCK(p.name).toString()).join(',')}}`;
    const headParams = [
      streamId,
      newVersion,
      lastHash,
      head.version,
      head.hash,
      n,
      acc,
      macShard(streamId, MAC_SHARDS),
      lastRecordedAt,
      this.mac.head(streamId, newVersion, lastHash),
      locks,
    ];
    const rows = n <= PREPARED_MAX_EVENTS ? preparedRows(n) : n;
    return eventParams(streamId, batch, head.version, head.hash, hashes, macs, headParams, rows);
  }

  private async readHead(streamId: string): Promise<StreamHead> {
    const rows = await this.database.prepared<{ version: string; last_hash: string; last_recorded_at: Date | string | null }>(
      'es_stream_head',
      'select version, last_hash, last_recorded_at from es_streams where stream_id = $1',
      [streamId],
    );
    const row = rows[0];
    return row
      ? { version: Number(row.version), hash: row.last_hash, recordedAt: row.last_recorded_at === null ? null : toIso(row.last_recorded_at) }
      : NO_HEAD;
  }

  /**
   * Wake tailing projections after a commit. NOTIFY inside the write transaction takes a
   * server-wide lock at commit and serialised concurrent writers (about 15 % of append
   * throughput), so appends committed within a few milliseconds share one NOTIFY sent after
   * them. A notification lost to a crash is covered by the projections' polling.
   */
  private notifyTimer: NodeJS.Timeout | null = null;
  private notifySoon(): void {
    if (!this.notify || this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      sql`select pg_notify(${this.channel}, '')`.execute(this.db).catch(() => undefined);
    }, this.notifyAfterMs);
    this.notifyTimer.unref?.();
  }

  /**
   * A retried append carries the same event ids. If all are stored with the same content, the
   * original events are the answer; if any id is stored with other content, it is an error.
   */
  private async findStored(trx: Kysely<Database>, streamId: string, events: readonly NewEvent[]): Promise<RecordedEvent[] | null> {
    const ids = events.map((e) => e.eventId);
    const found = await sql<EventRow>`select ${EVENT_COLUMNS} from es_events where event_id = any(${ids}::uuid[])`.execute(trx);
    if (found.rows.length === 0) return null;
    const byId = new Map(found.rows.map((r) => [r.event_id, r]));
    const differing = events.filter((e) => {
      const row = byId.get(e.eventId);
      return !row || row.stream_id !== streamId || row.type !== e.type || canonicalJson(fromRow(row).data) !== canonicalJson(e.data);
    });
    if (differing.length > 0) {
      throw new DuplicateEventIdError(
        differing.map((e) => e.eventId),
        found.rows.length === events.length
          ? 'event ids already stored with different content'
          : 'some event ids of this append are already stored, others are not',
      );
    }
    return found.rows.map(fromRow).sort((a, b) => a.version - b.version);
  }

  private async applyInline(trx: Transaction<Database>, events: RecordedEvent[], only?: readonly string[]): Promise<void> {
    for (const projection of this.inline) {
      if (only && !only.includes(projection.name)) continue;
      const relevant = events.filter((e) => projection.handles.includes(e.type)).map((e) => this.upcasters.apply(e));
      if (relevant.length === 0) continue;
      // Its shared lock (exclusive for a rebuild of this projection) was taken by the append statement.
      await projection.apply(trx, relevant);
    }
  }

  /**
   * Rebuild an inline projection from zero beside the live one (blue/green): its tables are
   * copied empty into a shadow schema and the log is replayed into them a page per transaction
   * (a projection whose writes find rows by key only gets its lookup indexes after the pages, as
   * a bulk load does), while appends go on applying the live tables. Only the switch takes the
   * projection's exclusive advisory lock: it waits for the appends applying this projection and holds new
   * ones back while the last events (every relevant one is committed then) go into the shadow and
   * the two generations swap names. `onProgress` is told the events applied so far after each page.
   */
  async rebuildInline(
    projection: InlineProjection & { tables: readonly string[] },
    onProgress?: (applied: number) => void | Promise<void>,
    options: { pageSize?: number } = {},
  ): Promise<number> {
    const applied = await this.rebuildInlineMany([projection], {
      ...options,
      ...(onProgress ? { onProgress: (progress: RebuildProgress) => onProgress(progress.applied.get(projection.name) ?? 0) } : {}),
    });
    const total = applied.get(projection.name)!;
    await onProgress?.(total);
    return total;
  }

  /**
   * Several inline projections rebuilt in one pass over the log (issue 20: rebuilding all of them
   * one after another read and parsed the county's log three times over, 526k events for 168k,
   * and reading was most of this process's work). Each gets its shadow; each page of the log (the
   * events any of them handles) is read once, while the one before is written, and each
   * projection's events of it go into its shadow in a transaction of its own, `writers` of them
   * at a time on as many connections. Each projection's share is the page it would have read
   * alone, so its rows are the same. In the order given (the registry's): a projection reads the
   * shadows of those before it, each written up to this page at least, where rebuilt alone it
   * reads their live tables, so a broken read model another one reads is mended for both. After
   * the last page, each is switched in as `rebuildInline` switches one, in the same order; a
   * failure discards the shadows not yet switched (those switched are whole).
   * Answers the events applied to each.
   */
  async rebuildInlineMany(
    projections: readonly (InlineProjection & { tables: readonly string[] })[],
    options: { pageSize?: number; writers?: number; onProgress?: (progress: RebuildProgress) => void | Promise<void> } = {},
  ): Promise<Map<string, number>> {
    // A page is read from the log for all of them: each one's share of it is a page of its own.
    const pageSize = options.pageSize ?? (projections.length > 1 ? PAGE_OF_SEVERAL : PAGE_OF_ONE);
    // PGlite has one connection: its transactions would only queue behind each other.
    const writers = this.database.kind === 'pglite' ? 1 : Math.max(1, options.writers ?? 2);
    const builds: ShadowBuild[] = [];
    const applied = new Map<string, number>();
    const connections = new Turns(writers);
    const inFlight: Promise<void>[] = [];
    try {
      for (const projection of projections) {
        const shadow = await ShadowTables.create(this.db, this.database.schema, projection.tables, projection.name, {
          indexesLater: projection.rebuildIndexesLast === true,
        });
        builds.push({ projection, shadow, handles: new Set(projection.handles), written: Promise.resolve(), switched: false });
        applied.set(projection.name, 0);
      }
      const all = projections.some((p) => p.handles.includes('*'));
      const types = all ? undefined : [...new Set(projections.flatMap((p) => p.handles))];
      let position: Position = START;
      let read = 0;
      // Up to the safe head (readAll's horizon: everything below it is committed), page by page.
      // The next page is read while this one is written, on another connection: this process
      // parses it while PostgreSQL inserts, instead of each waiting for the other.
      const readPage = this.rebuildPageReader(
        types,
        projections.flatMap((p) => p.readsMetadataOf ?? []),
      );
      let reading = readPage(position, pageSize);
      for (;;) {
        const page = await reading;
        const full = page.events.length >= pageSize;
        if (full) {
          reading = readPage(page.next, pageSize);
          reading.catch(() => undefined); // a failed write below ends the loop before this is awaited
        }
        if (page.events.length > 0) {
          // Each projection's share goes behind its previous page's and behind this page's shares
          // of the projections before it, on one of `writers` connections: a projection reads the
          // rows those wrote for the same events, as when appends apply them in that order. The
          // next page's shares start as soon as theirs allow: a wavefront, not a page at a time.
          let before: Promise<unknown> = Promise.resolve();
          for (const [index, build] of builds.entries()) {
            const events = ownEvents(build, page.events);
            if (events.length > 0) {
              const earlier = builds.slice(0, index).map((b) => b.shadow);
              build.written = Promise.all([build.written, before]).then(() =>
                connections.run(async () => {
                  await this.db.transaction().execute(async (trx) => {
                    await build.shadow.useForBuild(trx, earlier);
                    await applyPage(trx, build.projection, events);
                  });
                  applied.set(build.projection.name, applied.get(build.projection.name)! + events.length);
                }),
              );
            }
            before = Promise.all([before, build.written]);
          }
          // Pages ahead of the slowest projection's writes are bounded: they are held in memory.
          const pageWritten = before.then(() => undefined);
          pageWritten.catch(() => undefined); // awaited below or, after a failure, settled in the catch
          inFlight.push(pageWritten);
          if (inFlight.length > PAGES_AHEAD) await inFlight.shift();
          read += page.events.length;
        }
        position = page.next;
        if (page.events.length > 0) await options.onProgress?.({ read, applied });
        // A short page reached the horizon: each switch takes the rest under its lock.
        if (!full) break;
        await nextTurn(); // commands queued on this process (PGlite's one connection) go first
      }
      await Promise.all(inFlight);
      for (const build of builds) {
        // The lookup indexes, once the bulk of the rows is in (the switch's last events use them).
        await build.shadow.buildIndexes(this.db);
        applied.set(build.projection.name, await this.switchShadow(build, position, applied.get(build.projection.name)!, pageSize));
        build.switched = true;
      }
    } catch (error) {
      // The pages still being written end first: their transactions hold the shadows' tables.
      await Promise.allSettled(builds.map((b) => b.written));
      for (const build of builds) if (!build.switched) await build.shadow.discard(this.db).catch(() => undefined);
      throw error;
    }
    return applied;
  }

  /**
   * The switch of a shadow built up to `position`: it locks the live tables, then the projection
   * (an append that took its lock and then waits for a table would close a cycle, so a short lock
   * timeout gives way and retries), applies the events after `position`, and swaps the tables.
   * Answers the events applied in all.
   */
  private async switchShadow(build: ShadowBuild, from: Position, appliedBefore: number, pageSize: number): Promise<number> {
    const { projection, shadow } = build;
    const types = [...projection.handles];
    const all = projection.handles.includes('*');
    for (let attempt = 1; ; attempt++) {
      let position = from;
      let applied = appliedBefore;
      try {
        await this.db.transaction().execute(async (trx) => {
          if (attempt <= SWITCH_ATTEMPTS) await sql`select set_config('lock_timeout', '250ms', true)`.execute(trx);
          await shadow.lockLive(trx);
          await sql`select pg_advisory_xact_lock(${INLINE_PROJECTION_LOCK(projection.name).toString()}::bigint)`.execute(trx);
          await shadow.use(trx);
          for (;;) {
            const { transactionId, globalPosition } = decodePosition(position);
            const rest = await sql<EventRow>`
              select ${EVENT_COLUMNS} from es_events
              where (transaction_id, global_position) > (${transactionId}::bigint, ${globalPosition}::bigint) ${all ? sql`` : sql`and type = any(${types}::text[])`}
              order by es_events.transaction_id, es_events.global_position limit ${pageSize}`.execute(trx);
            if (rest.rows.length === 0) break;
            const events = rest.rows.map((r) => this.upcasters.apply(fromRow(r)));
            await applyPage(trx, projection, events);
            applied += events.length;
            position = events[events.length - 1]!.position;
          }
          await shadow.switchIn(trx);
          await sql`update es_checkpoints set events_applied = ${applied}, updated_at = now() where name = ${projection.name}`.execute(trx);
        });
        return applied;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt > SWITCH_ATTEMPTS || (code !== '55P03' && code !== '40P01')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromVersion ?? 1;
    const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
    // The read every command makes runs prepared: parsed and planned once per connection.
    const rows = options.asOf
      ? (
          await sql<EventRow>`
            select ${EVENT_COLUMNS} from es_events
            where stream_id = ${streamId} and version >= ${from} and version <= ${to} and recorded_at <= ${options.asOf}::timestamptz
            order by version`.execute(this.db)
        ).rows
      : await this.database.prepared<EventRow>('es_read_stream', READ_STREAM_TEXT, [streamId, from, to]);
    const events = rows.map(fromRow);
    // Read to its end: the last event is the head a command on this stream will append after.
    const last = events[events.length - 1];
    if (last && options.toVersion === undefined && !options.asOf) this.heads.remember(streamId, last.version, last.hash);
    return events.map((e) => this.upcasters.apply(e));
  }

  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const byStream = new Map<string, RecordedEvent[]>();
    if (streamIds.length === 0) return byStream;
    const rows = await sql<EventRow>`
      select ${EVENT_COLUMNS} from es_events where stream_id = any(${[...new Set(streamIds)]}::text[]) order by stream_id, version`.execute(this.db);
    for (const row of rows.rows) {
      const event = fromRow(row);
      const list = byStream.get(event.streamId) ?? [];
      list.push(event);
      byStream.set(event.streamId, list);
    }
    // Each stream read to its end: its last event is the head a command will append after.
    for (const [streamId, events] of byStream) {
      const last = events[events.length - 1]!;
      this.heads.remember(streamId, last.version, last.hash, last.recordedAt);
      byStream.set(
        streamId,
        events.map((e) => this.upcasters.apply(e)),
      );
    }
    return byStream;
  }

  async *readStreamsByPrefix(prefix: string, options: ReadStreamsOptions = {}): AsyncIterable<RecordedEvent> {
    const batch = Math.max(1, options.batchSize ?? 1000);
    const typeFilter = options.types ? sql`and type = any(${[...options.types]}::text[])` : sql``;
    // starts_with() rather than LIKE: a prefix with % or _ means itself.
    let cursor = { streamId: prefix, version: 0 };
    for (;;) {
      const page = await sql<EventRow>`
        select ${EVENT_COLUMNS} from es_events
        where stream_id >= ${prefix} and starts_with(stream_id, ${prefix}) and (stream_id, version) > (${cursor.streamId}, ${cursor.version}) ${typeFilter}
        order by stream_id, version limit ${batch}`.execute(this.db);
      for (const row of page.rows) yield this.upcasters.apply(fromRow(row));
      if (page.rows.length < batch) return;
      const last = page.rows[page.rows.length - 1]!;
      cursor = { streamId: last.stream_id, version: Number(last.version) };
    }
  }

  async streamVersion(streamId: string): Promise<number> {
    const result = await sql<{ version: string }>`select version from es_streams where stream_id = ${streamId}`.execute(this.db);
    return result.rows[0] ? Number(result.rows[0].version) : 0;
  }

  async readAll(after: Position, limit: number, options: ReadAllOptions = {}): Promise<ReadAllPage> {
    return this.readPage(after, limit, options, EVENT_COLUMNS, fromRow);
  }

  /**
   * A rebuild's reads of pages: the events of `types`, the metadata only of `metadataOf` (the
   * projections' readsMetadataOf), any other's a guard that throws when touched.
   */
  private rebuildPageReader(types: readonly string[] | undefined, metadataOf: readonly string[]): (after: Position, limit: number) => Promise<ReadAllPage> {
    const read = new Set(metadataOf);
    const columns = sql.raw(eventColumnsText(metadataColumn(metadataOf)));
    const toEvent = (row: EventRow): RecordedEvent => {
      const event = fromRow(row);
      if (!read.has(event.type)) event.metadata = unreadMetadata(event.type);
      return event;
    };
    const filter: ReadAllOptions = types ? { types } : {};
    return (after, limit) => this.readPage(after, limit, filter, columns, toEvent);
  }

  private async readPage(
    after: Position,
    limit: number,
    options: ReadAllOptions,
    columns: RawBuilder<unknown>,
    toEvent: (row: EventRow) => RecordedEvent,
  ): Promise<ReadAllPage> {
    const { transactionId, globalPosition } = decodePosition(after);
    const typeFilter = options.types ? sql`and type = any(${[...options.types]}::text[])` : sql``;
    // One statement, one snapshot: the page and the safe head are read against the same xmin.
    const result = await sql<EventRow & { kind: 'event' | 'head' }>`
      -- Commit keys are xids plus the base raised after a logical restore (migration 0030).
      with snap as materialized (select pg_snapshot_xmin(pg_current_snapshot())::text::bigint + (select base from es_position_base) as xmin)
      (select 'event' as kind, ${columns} from es_events
        where transaction_id < (select xmin from snap)
          and (transaction_id, global_position) > (${transactionId}::bigint, ${globalPosition}::bigint)
          ${typeFilter}
        -- Qualified on purpose: the bare name would bind to the text output column and sort
        -- '1000' before '999', skipping events when transaction ids gain a digit.
        order by es_events.transaction_id, es_events.global_position
        limit ${limit})
      union all
      (select 'head' as kind, ${columns} from es_events
        where transaction_id < (select xmin from snap)
        order by es_events.transaction_id desc, es_events.global_position desc
        limit 1)`.execute(this.db);
    const eventRows = result.rows.filter((r) => r.kind === 'event');
    const headRow = result.rows.find((r) => r.kind === 'head');
    const events = eventRows.map((r) => (options.asStored ? toEvent(r) : this.upcasters.apply(toEvent(r))));
    let next = after;
    if (eventRows.length >= limit) next = events[events.length - 1]!.position;
    else if (headRow) {
      const head = encodePosition(headRow.transaction_id, headRow.global_position);
      if (after === START || head > after) next = head;
    }
    return { events, next };
  }

  async countAfter(after: Position, options: ReadAllOptions = {}): Promise<number> {
    const { transactionId, globalPosition } = decodePosition(after);
    const typeFilter = options.types ? sql`and type = any(${[...options.types]}::text[])` : sql``;
    const result = await sql<{ n: string }>`
      select count(*) as n from es_events
      where (transaction_id, global_position) > (${transactionId}::bigint, ${globalPosition}::bigint) ${typeFilter}`.execute(this.db);
    return Number(result.rows[0]!.n);
  }

  /**
   * Recomputes every chain, MAC and accumulator. Reports the first broken link of each stream,
   * every event whose MAC fails (a row the service did not write), stream heads that do not match
   * their last event or whose MAC fails, events without a stream row, and, over the whole log,
   * accumulator shards whose events were deleted (a whole stream leaves nothing else behind).
   */
  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    const mac = this.checkMacs ? this.mac : null;
    // The whole log in one pass in its global order (log-verifier.ts); one stream in version order.
    if (!options.streamId) return verifyWholeLog(this.db, mac, options);
    const streamId = options.streamId;
    const broken = new Map<string, BrokenLink>();
    const macFailures: BrokenLink[] = [];
    let eventsChecked = 0;
    let state: { version: number; hash: string } = { version: 0, hash: GENESIS_HASH };
    let after = 0;
    const batch = Math.max(1, options.batchSize ?? 500);
    const breathe = yieldEvery(50); // hashing is CPU work: let other requests in between
    for (;;) {
      const page = await sql<EventRow & { mac: string; data_jsonb: unknown; data_jcs: string | null; metadata_jcs: string | null }>`
        select ${EVENT_COLUMNS}, mac, data as data_jsonb, data_jcs, metadata_jcs from es_events
        where stream_id = ${streamId} and version > ${after}
        order by version limit ${batch}`.execute(this.db);
      for (const row of page.rows) {
        await breathe();
        let e: RecordedEvent;
        try {
          e = fromRow(row);
        } catch (error) {
          if (!(error instanceof AlteredEventError)) throw error;
          // Data missing or not JSON: the event was altered; the chain goes on from its stored hash.
          e = fromRow({ ...row, data: '{}' });
          if (!broken.has(streamId))
            broken.set(streamId, { streamId, version: e.version, eventId: e.eventId, reason: 'content does not match its hash: the event was altered' });
        }
        eventsChecked++;
        if (!broken.has(streamId)) {
          const reason = checkLink(e, state) ?? checkStoredText({ data: e.data, dataJsonb: row.data_jsonb, metadata: e.metadata }, row);
          if (reason) broken.set(streamId, { streamId, version: e.version, eventId: e.eventId, reason });
        }
        if (mac && row.mac !== mac.event(row.hash)) {
          macFailures.push({ streamId, version: e.version, eventId: e.eventId, reason: 'MAC does not match: this row was not written by the service' });
        }
        state = { version: e.version, hash: e.hash };
      }
      options.onBatch?.(eventsChecked);
      if (page.rows.length < batch) break;
      after = state.version;
      await nextTurn();
    }
    const head = await sql<HeadRow>`select stream_id, version, last_hash, head_mac from es_streams where stream_id = ${streamId}`.execute(this.db);
    let streamsChecked = 0;
    if (eventsChecked > 0 || head.rows[0]) {
      streamsChecked = checkHead(streamId, head.rows[0], eventsChecked > 0 ? state : { version: 0, hash: null }, broken, mac);
    }
    return { streamsChecked, eventsChecked, broken: [...broken.values(), ...macFailures] };
  }
}

/** A batch with each event's data and metadata in canonical JSON, in parallel arrays. */
interface Serialised {
  events: readonly NewEvent[];
  dataJson: string[];
  metadataJson: string[];
}

function serialise(events: readonly NewEvent[]): Serialised {
  const dataJson = new Array<string>(events.length);
  const metadataJson = new Array<string>(events.length);
  for (let i = 0; i < events.length; i++) {
    dataJson[i] = canonicalJson(events[i]!.data);
    metadataJson[i] = canonicalJson(events[i]!.metadata);
  }
  return { events, dataJson, metadataJson };
}

/** The hashes of new events after a head (version, hash); event i gets version current + i + 1. */
function chain(streamId: string, batch: Serialised, current: number, headHash: string): string[] {
  const hashes = new Array<string>(batch.events.length);
  let prevHash = headHash;
  for (let i = 0; i < batch.events.length; i++) {
    const e = batch.events[i]!;
    prevHash = hashes[i] = chainedHash({
      streamId,
      eventId: e.eventId,
      version: current + i + 1,
      type: e.type,
      schemaVersion: e.metadata.schemaVersion,
      dataJson: batch.dataJson[i]!,
      metadataJson: batch.metadataJson[i]!,
      prevHash,
    });
  }
  return hashes;
}

// data_jcs and metadata_jcs (0177): the very texts that were hashed. Data is kept once, as its text
// (0191: the data column stays null); metadata also as jsonb, from the same parameter.
const EVENT_INSERT_COLUMNS = 'event_id, stream_id, version, type, schema_version, data, metadata, recorded_at, prev_hash, hash, mac, data_jcs, metadata_jcs';
const PARAMS_PER_EVENT = 11;
/** Attempts under `any` (or with a stale cached head) before giving up to concurrent writers. */
const MAX_APPEND_ATTEMPTS = 8;

/** Appends of up to this many events run as prepared statements; larger ones as plain queries. */
const PREPARED_MAX_EVENTS = 128;

/**
 * The row count of the prepared statement for a batch: exact up to 8 (commands append one to a
 * few events), then the next power of two, the batch padded with empty rows. A prepared
 * statement keeps its parse tree and plan in the server session for the connection's life (about
 * 1 MB for 128 rows), so one per exact size would pin hundreds of MB per pooled connection;
 * these 12 sizes per statement kind keep it to a few MB.
 */
function preparedRows(events: number): number {
  if (events <= 8) return events;
  let rows = 16;
  while (rows < events) rows *= 2;
  return rows;
}

/**
 * Multi-row VALUES with plain parameters: no query-builder work per row, and no array literals
 * for the driver to escape every JSON text into. `offset` shifts the $n numbers.
 */
function valuesTuples(rows: number, offset: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const p = (k: number) => `$${offset + r * PARAMS_PER_EVENT + k}`;
    // Data and metadata are sent once, as text and kept as the hashed text; metadata is also parsed into its jsonb column.
    tuples.push(
      `(${p(1)}::uuid,${p(2)},${p(3)}::bigint,${p(4)},${p(5)}::int,null::jsonb,${p(7)}::text::jsonb,${p(8)}::timestamptz,${p(9)},${p(10)},${p(11)},${p(6)}::text,${p(7)}::text)`,
    );
  }
  return tuples.join(',');
}

const HEAD_PARAMS = 11;
const statementCache = new Map<string, string>();
/** The one-statement append for a new stream (`new`) or an existing one (`move`); built once per prepared size. */
function oneStatementText(kind: 'new' | 'move', rows: number, guards: readonly string[] = []): string {
  const key = `${kind}:${rows}`;
  let text = guards.length === 0 ? statementCache.get(key) : undefined;
  if (text === undefined) {
    // The head moves only while no guard holds: otherwise nothing is written (see InlineGuard).
    const unguarded = guards.map((g) => ` and not (${g})`).join('');
    // $1 stream, $2 new version, $3 new hash, $4 expected version, $5 expected hash, $6 event
    // count, $7 XOR of the events' accumulator MACs, $8 shard, $9 last recorded-at, $10 head MAC,
    // $11 the advisory-lock keys of the inline projections that run after it (one round trip fewer).
    const moveHead =
      kind === 'move'
        ? 'update es_streams set version = $2, last_hash = $3, last_recorded_at = $9::timestamptz, head_mac = $10, updated_at = now() ' +
          `where stream_id = $1 and version = $4 and last_hash = $5${unguarded} returning stream_id`
        : 'insert into es_streams (stream_id, version, last_hash, last_recorded_at, head_mac) select $1, $2, $3, $9::timestamptz, $10 ' +
          `where $4::bigint = 0 and $5::text is not null${unguarded} on conflict (stream_id) do nothing returning stream_id`;
    // XOR is commutative: concurrent appends to one shard need not know each other's values.
    const accumulate =
      "update es_mac_shards set events = events + $6::bigint, acc = acc # ('x' || $7::text)::bit(256) where shard = $8::int and exists (select 1 from head) returning shard";
    text = `with head as (${moveHead}), acc as (${accumulate}) ${insertEventsText(rows)}`;
    if (rows <= PREPARED_MAX_EVENTS && guards.length === 0) statementCache.set(key, text);
  }
  return text;
}

function insertEventsText(rows: number): string {
  return (
    `insert into es_events (${EVENT_INSERT_COLUMNS}) ` +
    `select v.* from (values ${valuesTuples(rows, HEAD_PARAMS)}) as v(${EVENT_INSERT_COLUMNS}) ` +
    // Padding rows (all parameters null) are dropped here.
    'where v.event_id is not null and exists (select 1 from head) ' +
    'and (select count(*) from (select pg_advisory_xact_lock_shared(k) from unnest($11::bigint[]) k) locked) >= 0 ' +
    'returning global_position, transaction_id::text as transaction_id, version'
  );
}

/** Statement shapes with inline rows that run prepared; rarer shapes run as plain queries. */
const PREPARED_MAX_SHAPES = 64;
const shapeCache = new Map<string, { name: string; text: string; prepared: boolean }>();

/**
 * The one-statement append that also writes inline projections' rows: the events' insert becomes
 * a CTE, and each table's insert reads it, so those rows are written only when the events are,
 * after the projections' shared locks (taken in the events' insert), in the same atomic
 * statement. Built and named once per shape (tables, columns, row counts).
 */
function withRowsText(kind: 'new' | 'move', rows: number, writes: InlineWrites): { name: string; text: string; prepared: boolean } {
  const statementShapes = writes.statements.map((w) => `${statementText(w, 0)}x${w.params.length}`).join(';');
  const key = `${kind}:${rows}:${writes.rows.map((w) => `${w.table}(${w.columns.map((c) => c.join(' ')).join(',')})x${w.rows.length} ${w.onConflict} ${w.forEachRowOf ? `each ${w.forEachRowOf.table}(${w.forEachRowOf.columns.join(',')})` : ''}`).join(';')}|${writes.guards.join('|')}|${statementShapes}`;
  const cached = shapeCache.get(key);
  if (cached) return cached;
  const head = oneStatementText(kind, rows, writes.guards);
  const ctes = head.slice(0, head.indexOf(' insert into es_events'));
  let n = HEAD_PARAMS + rows * PARAMS_PER_EVENT;
  const writesText = writes.rows.map((w, i) => {
    const columns = w.columns.map(([c]) => assertSafeIdentifier(c)).join(', ');
    const tuples = w.rows.map((row) => {
      if (row.length !== w.columns.length) throw new Error(`inline rows for ${w.table}: ${row.length} values for ${w.columns.length} columns`);
      return `(${w.columns.map(([, type]) => `$${++n}::${assertSafeIdentifier(type)}`).join(',')})`;
    });
    const values = `(values ${tuples.join(',')}) as v(${columns})`;
    const each = w.forEachRowOf;
    const select = each
      ? `select ${each.columns.map((c) => `e.${assertSafeIdentifier(c)}`).join(', ')}, v.* from ${values} cross join ${assertSafeIdentifier(each.table)} e`
      : `select * from ${values}`;
    const target = each ? `${each.columns.map(assertSafeIdentifier).join(', ')}, ${columns}` : columns;
    return `, p${i} as (insert into ${assertSafeIdentifier(w.table)} (${target}) ${select} where exists (select 1 from ins) on conflict ${w.onConflict})`;
  });
  const statementsText = writes.statements.map((w, i) => {
    const part = `, s${i} as (${statementText(w, n)})`;
    n += w.params.length;
    return part;
  });
  const text = `${ctes}, ins as (${insertEventsText(rows)})${writesText.join('')}${statementsText.join('')} select global_position, transaction_id, version from ins`;
  const shape = {
    name: `es_append_rows_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`,
    text,
    prepared: rows <= PREPARED_MAX_EVENTS && shapeCache.size < PREPARED_MAX_SHAPES,
  };
  if (shape.prepared) shapeCache.set(key, shape);
  return shape;
}

/** What the inline projections add to the append statement: rows, and guards of the head. */
interface InlineWrites {
  rows: InlineRows[];
  /** Sub-statements after the rows (InlineStatement), their parameters after the rows'. */
  statements: InlineStatement[];
  guards: string[];
  /** The projections that gave the guards: they apply in the transaction when a guard refuses. */
  guarded: string[];
  /** One of the guards refused lately: the append goes straight to the transaction. */
  refusedLately: boolean;
}
const NO_WRITES: InlineWrites = { rows: [], statements: [], guards: [], guarded: [], refusedLately: false };
const isGuard = (w: InlineWrite): w is InlineGuard => 'transactionWhen' in w;
const isStatement = (w: InlineWrite): w is InlineStatement => 'sql' in w;
/** Appends a refused guard sends through the transaction before the statement is tried again. */
const GUARD_REFUSED_APPENDS = 100;

/** The parameters of valuesTuples, after `prefix`, padded with nulls up to `rows` rows. */
function eventParams(
  streamId: string,
  batch: Serialised,
  current: number,
  headHash: string,
  hashes: readonly string[],
  macs: readonly string[],
  prefix: unknown[],
  rows: number,
): unknown[] {
  const params = prefix;
  for (let i = 0; i < batch.events.length; i++) {
    const e = batch.events[i]!;
    params.push(
      e.eventId,
      streamId,
      current + i + 1,
      e.type,
      e.metadata.schemaVersion,
      batch.dataJson[i],
      batch.metadataJson[i],
      e.metadata.recordedAt,
      i === 0 ? headHash : hashes[i - 1],
      hashes[i],
      macs[i],
    );
  }
  for (let pad = batch.events.length * PARAMS_PER_EVENT; pad < rows * PARAMS_PER_EVENT; pad++) params.push(null);
  return params;
}

interface InsertedRow {
  global_position: string;
  transaction_id: string;
  version: string;
}

/**
 * Only positions come back from the insert: the rest is what was just written. PostgreSQL
 * returns a multi-row INSERT's rows in the order of its VALUES, but that is not a documented
 * promise, so the versions are checked and matched up if they ever differ.
 */
function recordedFrom(
  streamId: string,
  batch: Serialised,
  current: number,
  headHash: string,
  hashes: readonly string[],
  inserted: readonly InsertedRow[],
): RecordedEvent[] {
  let rows = inserted;
  if (inserted.some((r, i) => Number(r.version) !== current + i + 1)) {
    const byVersion = new Map(inserted.map((r) => [Number(r.version), r]));
    rows = batch.events.map((_, i) => byVersion.get(current + i + 1)!);
  }
  return pendingFrom(streamId, batch, current, headHash, hashes).map((e, i) => ({
    ...e,
    position: encodePosition(rows[i]!.transaction_id, rows[i]!.global_position),
  }));
}

/** The events as they will be stored, before the insert draws their positions. */
function pendingFrom(streamId: string, batch: Serialised, current: number, headHash: string, hashes: readonly string[]): PendingEvent[] {
  return batch.events.map((e, i) => ({
    eventId: e.eventId,
    streamId,
    version: current + i + 1,
    type: e.type,
    schemaVersion: e.metadata.schemaVersion,
    data: e.data,
    metadata: e.metadata,
    recordedAt: e.metadata.recordedAt,
    hash: hashes[i]!,
    prevHash: i === 0 ? headHash : hashes[i - 1]!,
  }));
}

// An ISO-8601 instant with a zone: Z or an offset. Hours 00–23, seconds 00–59: no 24:00, no leap second.
const ACCEPTED_INSTANT = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/**
 * recorded-at must be one real instant with a zone. PostgreSQL would accept 'infinity', 'now',
 * 'yesterday', 24:00 or 30 February and store something else than what was hashed, so they are
 * refused before anything is written; an accepted one is written as the clock writes it
 * (toISOString()), in the hashed metadata and the column alike.
 */
function canonicalInstant(value: unknown): string {
  const match = typeof value === 'string' ? ACCEPTED_INSTANT.exec(value) : null;
  if (!match) throw new InvalidRecordedAtError(value);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) throw new InvalidRecordedAtError(value);
  const date = new Date(value as string);
  if (Number.isNaN(date.getTime())) throw new InvalidRecordedAtError(value);
  return date.toISOString();
}

/**
 * One clock per stream that only moves forward: an event is never recorded before the stream's
 * last event (another instance's clock may run ahead), or an as-of read could show a later
 * version without an earlier one. Events already in order are returned as they are.
 */
function clampRecordedAt(events: readonly NewEvent[], floor: string | null): readonly NewEvent[] {
  let out: NewEvent[] | null = null;
  let previous = floor;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const given = canonicalInstant(e.metadata.recordedAt);
    const recordedAt = previous !== null && given < previous ? previous : given;
    if (recordedAt !== e.metadata.recordedAt) {
      out ??= events.slice();
      out[i] = { ...e, metadata: { ...e.metadata, recordedAt } };
    }
    previous = recordedAt;
  }
  return out ?? events;
}

/** One inline projection's answer for one stream of a batch (SqlEventStore.batchAnswers). */
interface BatchAnswer {
  projection: InlineProjection;
  relevant: PendingEvent[];
  /** Null: it needs the transaction. */
  rows: InlineRows[] | null;
  guard: string | null;
}

/** What a batch's stream writes once the guards are known: rows in the statement, or applied in the transaction. */
interface StreamWrites {
  rows: InlineRows[];
  /** The projections whose rows ride in the statement. */
  rowsOf: string[];
  apply: string[];
}

function batchWrites(answers: readonly BatchAnswer[], holding: ReadonlySet<string>): StreamWrites {
  const writes: StreamWrites = { rows: [], rowsOf: [], apply: [] };
  for (const answer of answers) {
    if (answer.rows === null || (answer.guard !== null && holding.has(answer.projection.name))) writes.apply.push(answer.projection.name);
    else {
      writes.rows.push(...answer.rows);
      writes.rowsOf.push(answer.projection.name);
    }
  }
  return writes;
}
