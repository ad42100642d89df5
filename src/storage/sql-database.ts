import type { Kysely } from 'kysely';
import type { MessagePort } from 'node:worker_threads';
import type { Database } from './database';

/**
 * A SQL database the service runs on: PostgreSQL through a `pg` pool, or embedded PGlite.
 * Both speak the same SQL; they differ in how they connect and how notifications arrive.
 */
export interface SqlDatabase {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Kysely<Database>;
  /** Schema that holds the service's tables (also scopes the notification channel). */
  readonly schema: string;
  /** Subscribe to a NOTIFY channel. Resolves to an unsubscribe function. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /**
   * One statement outside any transaction, as a named prepared statement where the driver has
   * them (PostgreSQL: parsed and planned once per pooled connection, then only bound and run).
   * `name` must stand for exactly one `text`. PGlite runs it as an ordinary query.
   */
  prepared<R>(name: string, text: string, params: readonly unknown[]): Promise<R[]>;
  /**
   * Runs `text` as the named prepared statement `name` wherever it is sent through `db`, also
   * inside a transaction (PostgreSQL; PGlite ignores it). For the few hot statements only.
   */
  nameStatement?(name: string, text: string): void;
  close(): Promise<void>;
  /** Embedded only: a consistent gzip tarball of the data directory (PGlite's dumpDataDir). */
  dumpDataDir?(): Promise<Blob>;
  /** Embedded store in its worker thread only: that thread, to run work beside PGlite (DatabaseThread). */
  thread?: DatabaseThread;
  /** Connections of the pool (PostgreSQL only; PGlite has one connection and no pool). */
  poolStats?(): PoolStats;
}

/**
 * PGlite's worker thread, for work whose statements are better issued there: each is then a call
 * rather than a message each way (the demo county's load, issue 15). A task is a module exporting
 * `runInDatabaseThread(local, data, port)`; its statements take the one connection in turn with
 * the main thread's, and `port` talks to it both ways.
 */
export interface DatabaseThread {
  run<T>(module: URL, data: unknown): { result: Promise<T>; port: MessagePort };
  /** Loads the module ahead of its first run (in the background: a failure shows at the run). */
  preload(module: URL): void;
}

export interface PoolStats {
  total: number;
  idle: number;
  /** Requests waiting for a connection. */
  waiting: number;
  max: number;
}

export const EVENTS_CHANNEL = 'es_events_appended';

export function channelFor(schema: string, channel: string): string {
  return schema === 'public' ? channel : `${channel}_${schema}`;
}

/** Schema names are interpolated into SQL, so only plain identifiers are accepted. */
export function assertSafeIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsafe SQL identifier: ${name}`);
  return name;
}
