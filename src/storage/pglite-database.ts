import type { Database } from './database';
import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { CompiledQuery, Kysely } from 'kysely';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { PGliteDialect } from './pglite-dialect';
import { preparedStatements } from './pglite-statements.mjs';
import { startPGliteThread, type PGliteHandle } from './pglite-thread';
import { channelFor, type SqlDatabase } from './sql-database';
import { withStatementProfile } from './statement-profile';

export interface PGliteOptions {
  /** A directory for a file-backed database, or undefined for memory. */
  dataDir?: string;
  /** Who holds the data dir's lock, for others' refusal messages (default: the npm script). */
  lockPurpose?: string;
  /** A data-dir dump (npm run backup) to load into an empty dataDir before opening it. */
  loadDataDir?: Blob;
  /**
   * Where PGlite's queries run: a worker thread (the default: the HTTP thread is never blocked by a
   * query, issue 20) or this thread (what it was before; kept for measuring one against the other).
   */
  thread?: 'worker' | 'main';
}

/** Embedded PostgreSQL (WASM) in this process (its queries in a worker thread): the default, so no server is needed. */
export async function openPGlite(options: PGliteOptions = {}): Promise<SqlDatabase> {
  let lock: DataDirLock | undefined;
  if (options.dataDir) {
    // A DATA_DIR that does not exist yet is created (a fresh volume, a new path).
    mkdirSync(options.dataDir, { recursive: true });
    lock = acquireDataDirLock(options.dataDir, options.lockPurpose);
  }
  let pglite: PGliteHandle;
  try {
    pglite = await startPGlite(options);
  } catch (error) {
    lock?.release();
    throw error;
  }
  return pgliteDatabaseOver(pglite, async () => {
    try {
      await pglite.close();
    } finally {
      lock?.release();
    }
  });
}

/** PGlite itself, on the thread the options (or PGLITE_THREAD) name: what openPGlite wraps. */
export function startPGlite(options: Omit<PGliteOptions, 'lockPurpose'> = {}): Promise<PGliteHandle> {
  return threadFor(options) === 'main' ? inThisThread(options) : startPGliteThread(options);
}

/**
 * The service's database over an open PGlite. Closing it ends its Kysely, then runs `release`:
 * openPGlite closes PGlite there; the test pool (tests/support/pglite-pool.ts) lends it on instead.
 */
export function pgliteDatabaseOver(pglite: PGliteHandle, release: () => Promise<void>): SqlDatabase {
  const db = new Kysely<Database>({ dialect: new PGliteDialect(withStatementProfile(pglite)) });
  return {
    ...overKysely(db, pglite),
    ...(pglite.thread ? { thread: pglite.thread } : {}),
    async dumpDataDir() {
      // Holding the one connection: no transaction is half done while the files are read.
      return db.connection().execute(() => pglite.dumpDataDir());
    },
    async close() {
      await db.destroy();
      await release();
    },
  };
}

/** What a task in PGlite's worker thread is given (pglite-thread.worker.mjs): the instance, shared with the main thread. */
export interface LocalPGlite {
  query<R>(text: string, params: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  /** The connection, shared with the main thread's statements. */
  lock(): Promise<() => void>;
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
}

/**
 * The database as a task in PGlite's worker thread sees it: its statements run here, one call
 * each, and take the connection in turn with the main thread's. Closing it leaves PGlite open
 * (the main thread owns it, and the data-dir lock).
 */
export function localPGliteDatabase(local: LocalPGlite): SqlDatabase {
  const db = new Kysely<Database>({ dialect: new PGliteDialect(withStatementProfile(local)) });
  return {
    ...overKysely(db, local),
    close: () => db.destroy(),
  };
}

function overKysely(db: Kysely<Database>, pglite: Pick<LocalPGlite, 'listen'>): Pick<SqlDatabase, 'kind' | 'db' | 'schema' | 'listen' | 'prepared'> {
  return {
    kind: 'pglite',
    db,
    schema: 'public',
    async listen(channel, onNotify) {
      return pglite.listen(channelFor('public', channel), () => onNotify());
    },
    async prepared<R>(_name: string, text: string, params: readonly unknown[]) {
      // Through Kysely, so it waits for the one connection like every other query.
      return (await db.executeQuery<R>(CompiledQuery.raw(text, [...params]))).rows;
    },
  };
}

/** The option, else PGLITE_THREAD=main|worker (to measure one against the other, e.g. `npm run seed:demo`), else the worker. */
function threadFor(options: PGliteOptions): 'worker' | 'main' {
  return options.thread ?? (process.env.PGLITE_THREAD === 'main' ? 'main' : 'worker');
}

/** PGlite on the calling thread: each query holds the event loop while it runs. */
async function inThisThread(options: PGliteOptions): Promise<PGliteHandle> {
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    // node-postgres returns int8 as a string; make PGlite agree so adapters see one shape.
    parsers: { [types.INT8]: (v: string) => v, [types.DATE]: (v: string) => v },
  });
  const statements = preparedStatements(pglite);
  return {
    query: (text, params) => statements.query(text, params),
    listen: (channel, onNotify) => pglite.listen(channel, onNotify),
    dumpDataDir: () => pglite.dumpDataDir('gzip'),
    close: () => pglite.close(),
  };
}
