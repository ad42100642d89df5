/**
 * The event-store port. Adapters (PostgreSQL, PGlite, EventStoreDB) implement it;
 * nothing above this layer knows which one is in use.
 */

/** Opaque, engine-specific position in the global log. Compare only through the store. */
export type Position = string & { readonly __brand: 'Position' };
export const START: Position = 'start' as Position;

export type ActorRole =
  | 'admin'
  | 'county_worker'
  | 'town_worker'
  | 'village_worker'
  | 'auditor'
  | 'evaluator'
  /** 县民政局: confirms (审核确认) for the county. */
  | 'civil_affairs_officer'
  /** 乡镇人民政府: accepts applications, confirms where the county delegated it, in their town. */
  | 'town_official'
  | 'system';

export interface EventMetadata {
  actorId: string;
  actorRole: ActorRole;
  commandId: string;
  correlationId: string;
  causationId: string | null;
  /** ISO-8601 instant, from the injectable clock. */
  recordedAt: string;
  schemaVersion: number;
}

/** What a caller hands to `append`. */
export interface NewEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent {
  eventId: string;
  streamId: string;
  /** 1-based version of this event within its stream. */
  version: number;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recordedAt: string;
  position: Position;
  hash: string;
  prevHash: string;
}

/** One stream's part of `appendMany`: an exact version or 'no_stream' (never 'any'). */
export interface StreamAppend {
  streamId: string;
  events: readonly NewEvent[];
  expected: number | 'no_stream';
}

/** An exact version (0 = the stream must not exist), 'no_stream', or 'any'. */
export type ExpectedVersion = number | 'no_stream' | 'any';

export interface AppendResult {
  streamId: string;
  /** Stream version after the append: the version of its last event. */
  version: number;
  events: RecordedEvent[];
  /** True when every event id was already stored: a retried append that wrote nothing. */
  duplicate: boolean;
}

export interface ReadStreamOptions {
  fromVersion?: number;
  toVersion?: number;
  /** ISO-8601 instant: only events recorded at or before it. */
  asOf?: string;
}

export interface ReadAllOptions {
  types?: readonly string[];
  /** Events exactly as stored (no upcasting): what auditors recompute hashes from. */
  asStored?: boolean;
}

export interface ReadStreamsOptions extends ReadAllOptions {
  /** Events per keyset page read from the database (memory holds one page); default 1000. */
  batchSize?: number;
}

/** How a whole-log check walks the log: pages of `batchSize` (keyset), each reported when read. */
export interface VerifyOptions {
  streamId?: string;
  batchSize?: number;
  /** Called after each page with the events checked so far (progress; tests count the pages). */
  onBatch?: (eventsChecked: number) => void;
  /**
   * Whole log only: each page once its links are checked, in the log's global order, with the
   * stored hash of each event (the ledger audit builds its Merkle tree from the same reading).
   */
  onPage?: (events: readonly VerifiedEvent[], eventsChecked: number) => void | Promise<void>;
  /** Whole log only: how many streams' last events the pass keeps in memory (default 250,000). */
  headCacheSize?: number;
  /**
   * Whole log only, where the database allows it (PostgreSQL), for logs of at least `minEvents`
   * events: the per-event work spread over `threads` worker threads reading the log on their own
   * connections, or (one thread) the pages read on `readers` pooled connections at once and the
   * MACs computed on a thread of their own when `macThread`, those pages read by binary COPY when
   * `binaryCopy` (defaults: AUDIT_VERIFY_THREADS, AUDIT_VERIFY_READERS, AUDIT_VERIFY_MAC_THREAD,
   * AUDIT_VERIFY_COPY, AUDIT_VERIFY_PARALLEL_FROM).
   */
  parallel?: { threads?: number; readers?: number; macThread?: boolean; binaryCopy?: boolean; minEvents?: number };
}

/** An event as the whole-log verify hands it on: where it sits and its stored hash. */
export interface VerifiedEvent {
  eventId: string;
  streamId: string;
  version: number;
  hash: string;
  /** Its RFC 9162 leaf hash, when the verify computed it already (saves the reader hashing it again). */
  leaf?: Buffer;
}

export interface ReadAllPage {
  events: RecordedEvent[];
  /** Where the next read should start. It may lie past the last event when others were filtered out. */
  next: Position;
}

export interface BrokenLink {
  streamId: string;
  version: number;
  eventId: string | null;
  reason: string;
}

export interface VerifyReport {
  streamsChecked: number;
  eventsChecked: number;
  broken: BrokenLink[];
}

/** An event about to be appended: everything is known but its position (drawn at insert). */
export type PendingEvent = Omit<RecordedEvent, 'position'>;

/**
 * Rows an inline projection inserts for some events, handed to the append so that its own
 * statement writes them (one round trip, one implicit transaction, instead of BEGIN, the append,
 * the projection's statements and COMMIT).
 */
export interface InlineRows {
  /** A plain identifier. */
  readonly table: string;
  /** Column names, each with the SQL type its parameter is cast to. */
  readonly columns: readonly (readonly [column: string, type: string])[];
  readonly rows: readonly (readonly unknown[])[];
  /** What a row whose key is already there does, after ON CONFLICT: `(id) do nothing`. */
  readonly onConflict: string;
  /**
   * Each row once for every row of this table, its `columns` first (a mark for every score
   * sheet materialised so far): an insert-select rather than plain values.
   */
  readonly forEachRowOf?: { readonly table: string; readonly columns: readonly string[] };
}

/**
 * A projection that writes nothing for these events as long as its read model is in a state
 * the statement can check (the schedule before its first build): the append statement checks
 * it, and when `transactionWhen` holds it moves nothing and the append runs in a transaction
 * with `apply` instead. The condition takes whatever row lock it needs (FOR SHARE) to hold off
 * a concurrent change of that state until the append commits.
 */
export interface InlineGuard {
  /** An SQL condition over the projection's own tables, without parameters. */
  readonly transactionWhen: string;
}

/**
 * A write the append statement runs as one more of its sub-statements, for what plain rows
 * cannot say (an update in place, a count that depends on rows already there): an `insert …
 * select … where` or an `update … where` over the projection's own tables. It runs on the
 * statement's snapshot (it does not see the statement's other rows) and must write only when
 * `inserted` holds (the events went in: put it in its WHERE). `shardMoved` holds once the
 * stream's MAC shard row has moved: a lock taken in a subquery gated by it is taken after that
 * row lock, in the order a transaction's statements would take them. `param(i)` is the
 * placeholder of `params[i]` (cast it). The text built must depend on nothing but the shape.
 */
export interface InlineStatement {
  readonly sql: (parts: { inserted: string; shardMoved: string; param: (index: number) => string }) => string;
  readonly params: readonly unknown[];
}

export type InlineWrite = InlineRows | InlineGuard | InlineStatement;

/** A read model that must be updated in the same transaction as the append (read-your-writes). */
export interface InlineProjection {
  readonly name: string;
  readonly handles: readonly string[];
  apply(trx: unknown, events: readonly RecordedEvent[]): Promise<void>;
  /**
   * Optional fast path: exactly what `apply` would write for these events, as plain inserts or
   * statements the append carries, or null when it needs the transaction. The writes must not
   * depend on the events' positions. A guard says when it needs the transaction after all.
   */
  rowsFor?(events: readonly PendingEvent[]): readonly InlineWrite[] | null;
  /**
   * With `rowsFor`: what it writes for one stream's events reads and touches only that stream's
   * rows, and its unique keys across streams hold at every point of the log. A rebuild may then
   * apply a page's other events in order first and write the streams that begin in the page, each
   * folded whole, as rows after them (rebuild-page.ts), instead of cutting the page where they interleave.
   */
  readonly rowsByStream?: boolean;
  /**
   * Its writes find rows only by unique keys, so a rebuild may leave the other indexes of its
   * tables until the rows are in (ShadowTables' indexesLater). Not for a projection whose
   * updates look rows up by a lookup index: without it each would scan its table.
   */
  readonly rebuildIndexesLast?: boolean;
  /**
   * The event types whose metadata its writes read. A rebuild reads the metadata of these alone
   * (issue 20: the log's metadata, parsed for every event of a rebuild's pages, was a quarter of
   * reading them); any other event's `metadata` throws when touched there, so an undeclared read
   * fails the rebuild rather than writing rows without it. Appends always give the whole event.
   */
  readonly readsMetadataOf?: readonly string[];
}

export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult>;
  /**
   * Appends to many streams atomically, in one transaction: results in the order given, or
   * null (nothing written) when a stream's head is not the expected version or an event id is
   * already stored, for the caller to append one by one and learn which.
   */
  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[] | null>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Many whole streams in one read (a batch of commands on as many streams): each stream's
   * events in version order, a stream that does not exist absent from the map.
   */
  readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>>;
  /** Events after `after` in commit order, never skipping one a slower transaction commits later. */
  readAll(after: Position, limit: number, options?: ReadAllOptions): Promise<ReadAllPage>;
  /** Number of events after a position (projection lag). */
  countAfter(after: Position, options?: ReadAllOptions): Promise<number>;
  /** Current version of a stream, 0 when it does not exist. */
  streamVersion(streamId: string): Promise<number>;
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  /**
   * Every event of the streams whose id starts with `prefix`, stream by stream in version order,
   * read from the streams themselves: no gap-safe cursor, so nothing committed is held back. A
   * second path to the same events, for audits that must not depend on the global order alone.
   */
  readStreamsByPrefix(prefix: string, options?: ReadStreamsOptions): AsyncIterable<RecordedEvent>;
}

export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected version ${String(expected)}, actual ${actual}`);
    this.name = 'WrongExpectedVersionError';
  }
}

export class DuplicateEventIdError extends Error {
  constructor(
    readonly eventIds: string[],
    message: string,
  ) {
    super(message);
    this.name = 'DuplicateEventIdError';
  }
}

/** An event whose recorded-at is not one real instant in the clock's format: nothing was written. */
export class InvalidRecordedAtError extends Error {
  constructor(readonly value: unknown) {
    super(`recorded-at ${JSON.stringify(value)} is not an instant of the form yyyy-mm-ddThh:mm:ss.sssZ`);
    this.name = 'InvalidRecordedAtError';
  }
}
