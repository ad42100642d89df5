import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** What the dialect needs of PGlite: one query at a time. The instance itself, or a worker thread running it. */
export interface PGliteEngine {
  query<R>(text: string, params: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  /**
   * When another thread shares the instance (a task in PGlite's worker thread): takes the one
   * connection from every user in both threads, instead of the dialect's own mutex.
   */
  lock?(): Promise<() => void>;
  /** Told when this dialect hands the connection back (the worker thread's users may take it then). */
  endSession?(): void;
}

/**
 * A Kysely dialect over one PGlite instance (in this thread or in a worker thread).
 *
 * PGlite has a single connection, so (like Kysely's SQLite driver) a mutex hands it to one
 * user at a time: a transaction keeps it from BEGIN to COMMIT and nobody interleaves.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGliteEngine) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    return release;
  }
}

/**
 * PGlite runs its queries on this thread, and the hand-over of its connection is a chain of
 * promises: under a steady stream of queries (the demo county's load, a rebuild) Node never
 * reaches its I/O phase, and /health waited 25 s. A turn of the event loop when this long has
 * passed since the last one lets requests in (they queue on the mutex like everyone else), at
 * the cost of one setImmediate per interval, not per query.
 */
const LET_IO_IN_AFTER_MS = 10;

class PGliteDriver implements Driver {
  private readonly mutex = new Mutex();
  private lastTurn = performance.now();
  private readonly connection: PGliteConnection;
  private release: (() => void) | null = null;

  constructor(private readonly engine: PGliteEngine) {
    this.connection = new PGliteConnection(engine);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    if (performance.now() - this.lastTurn >= LET_IO_IN_AFTER_MS) {
      await nextTurn();
      this.lastTurn = performance.now();
    }
    this.release = await (this.engine.lock ? this.engine.lock() : this.mutex.lock());
    return this.connection;
  }
  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await conn.executeQuery(CompiledQuery.raw(`begin${isolation}`));
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = null;
    this.engine.endSession?.();
    release?.();
  }
  async destroy(): Promise<void> {}
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGliteEngine) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }

  // eslint-disable-next-line require-yield -- it only refuses: PGlite has no cursor to stream rows from
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect does not stream; page with keyset queries instead');
  }
}
