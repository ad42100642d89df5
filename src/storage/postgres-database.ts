import type { Database } from './database';
import { allowCopyReads } from './log-copy-reads';
import { allowParallelReads } from './log-verify-pool';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { describeDatabaseError } from './connection-faults';
import { assertSafeIdentifier, channelFor, type SqlDatabase } from './sql-database';

/** Calendar dates stay 'yyyy-mm-dd' strings: a JS Date at local midnight shifts by the server's zone. */
const DATE_OID = 1082;
const DATE_AS_TEXT = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
    oid === DATE_OID ? (value: string) => value : (pg.types.getTypeParser(oid, format) as (value: string) => unknown)) as typeof pg.types.getTypeParser,
};

/** SQLSTATE 26000: the named prepared statement does not exist in this session. */
const INVALID_STATEMENT_NAME = '26000';

export interface PostgresOptions {
  connectionString: string;
  schema?: string;
  poolSize?: number;
  /** Named prepared statements for SqlDatabase.prepared (default true). */
  preparedStatements?: boolean;
  logger?: Logger;
  /** Shown in pg_stat_activity (operators find, and tests terminate, the service's own sessions by it). */
  applicationName?: string;
  /** The server ends a session idle inside a transaction this long (it holds the snapshot xmin back). */
  idleInTransactionTimeoutMs?: number;
  /** A connection attempt that takes longer fails (503), rather than hanging the request. */
  connectTimeoutMs?: number;
  /** Told of every error of a pooled or LISTEN connection (metrics); already logged here. */
  onConnectionError?: (error: unknown) => void;
}

/** PostgreSQL through a `pg` pool; LISTEN runs on one dedicated client that reconnects. */
export async function openPostgres(options: PostgresOptions): Promise<SqlDatabase> {
  const schema = assertSafeIdentifier(options.schema ?? 'public');
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    // An idle-in-transaction session holds the snapshot xmin back and stalls every reader.
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 60_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    application_name: options.applicationName ?? 'social-work-stations',
    options: schema === 'public' ? undefined : `-c search_path=${schema}`,
    types: DATE_AS_TEXT,
  });
  // Statements named through nameStatement() run prepared on whichever connection sends them,
  // Kysely transactions included (Kysely itself sends every query unnamed).
  const named = new Map<string, string>();
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    // Replaces the method on this one client; Object.assign, because pg's overloads cannot be re-declared.
    Object.assign(client, {
      query: (text: unknown, values?: unknown, callback?: unknown) => {
        const name = typeof text === 'string' && Array.isArray(values) ? named.get(text) : undefined;
        return name ? query({ name, text, values }, callback) : query(text, values, callback);
      },
    });
  });
  const connectionFailed = (where: string) => (err: unknown) => {
    // Only the classification is logged: PostgreSQL's detail fields can quote personal data.
    options.logger?.warn({ db: describeDatabaseError(err) }, `PostgreSQL connection lost (${where}); the pool replaces it`);
    options.onConnectionError?.(err);
  };
  // pg-pool listens for `error` only while a client is idle. A client checked out (inside a
  // transaction, between two statements) whose backend is terminated emits `error` with no
  // listener, and Node turns that into an uncaught exception that ends the process. Every client
  // gets a listener from the moment it connects; the statement in progress still fails (and is
  // retried or answered 503), and pg-pool drops the broken client when it is released.
  // (While the client is idle, pg-pool's own listener reports it as the pool's `error`: counted once.)
  const checkedOut = new WeakSet<pg.PoolClient>();
  const inUseFailed = connectionFailed('in use');
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_err, client) => checkedOut.delete(client));
  pool.on('connect', (client) => client.on('error', (err) => checkedOut.has(client) && inUseFailed(err)));
  pool.on('error', connectionFailed('idle'));
  if (schema !== 'public') {
    const client = await pool.connect();
    try {
      // Checked first: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the
      // schema exists, which a least-privilege service role does not have.
      const exists = await client.query('select 1 from pg_namespace where nspname = $1', [schema]);
      if (exists.rowCount === 0) await client.query(`create schema if not exists ${schema}`);
    } finally {
      client.release();
    }
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // The whole-log verify may read the log from worker threads, each on a connection of its own.
  allowParallelReads(db, { connectionString: options.connectionString, schema });
  // And on this thread it may read the log's pages by binary COPY on the pool's connections.
  allowCopyReads(db, () => pool.connect());

  const listeners = new Map<string, Set<() => void>>();
  let listenClient: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;

  function reconnect(delayMs: number): void {
    if (closed) return;
    setTimeout(() => {
      connecting ??= connectListener().finally(() => (connecting = null));
      connecting.catch(() => reconnect(Math.min(delayMs * 2, 30_000)));
    }, delayMs).unref();
  }

  async function connectListener(): Promise<void> {
    const client = new pg.Client({
      connectionString: options.connectionString,
      application_name: options.applicationName ?? 'social-work-stations',
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    });
    client.on('notification', (msg) => listeners.get(msg.channel)?.forEach((fn) => fn()));
    let lost = false;
    client.on('error', (err) => {
      if (lost) return;
      lost = true;
      options.logger?.warn({ db: describeDatabaseError(err) }, 'LISTEN connection lost; reconnecting');
      options.onConnectionError?.(err);
      if (listenClient === client) listenClient = null;
      client.end().catch(() => undefined);
      reconnect(1000);
    });
    try {
      await client.connect();
    } catch (error) {
      // A failed attempt is retried by reconnect(); its client must not report again.
      lost = true;
      client.end().catch(() => undefined);
      throw error;
    }
    for (const channel of listeners.keys()) await client.query(`listen ${channel}`);
    listenClient = client;
    // Wake everyone: notifications sent while we were away are lost, polling catches up.
    listeners.forEach((set) => set.forEach((fn) => fn()));
  }

  return {
    kind: 'postgres',
    db,
    schema,
    async listen(channel, onNotify) {
      const name = assertSafeIdentifier(channelFor(schema, channel));
      let set = listeners.get(name);
      if (!set) {
        set = new Set();
        listeners.set(name, set);
        if (listenClient) await listenClient.query(`listen ${name}`);
        else {
          // Concurrent first subscribers share one connection attempt.
          connecting ??= connectListener().finally(() => (connecting = null));
          await connecting;
        }
      }
      set.add(onNotify);
      return async () => {
        set.delete(onNotify);
      };
    },
    async prepared<R>(name: string, text: string, params: readonly unknown[]) {
      if (options.preparedStatements === false) return (await pool.query({ text, values: [...params] })).rows as R[];
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        try {
          const rows = (await client.query({ name, text, values: [...params] })).rows as R[];
          client.release();
          return rows;
        } catch (error) {
          // The session no longer has a statement pg believes it prepared (DEALLOCATE, a pooler
          // that swapped the session): every later use on this connection would fail the same
          // way, so the connection is dropped. Nothing ran, so one retry on another is safe.
          const lost = (error as { code?: string }).code === INVALID_STATEMENT_NAME;
          client.release(lost ? (error as Error) : undefined);
          if (!lost || attempt > 1) throw error;
        }
      }
    },
    nameStatement(name: string, text: string) {
      if (options.preparedStatements !== false) named.set(text, name);
    },
    poolStats() {
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: options.poolSize ?? 10 };
    },
    async close() {
      closed = true;
      await listenClient?.end().catch(() => undefined);
      await db.destroy();
    },
  };
}
