import type { Database } from './database';
import { mkdirSync } from 'node:fs';
import { CompiledQuery, Kysely } from 'kysely';
import { openEngine } from './pglite-engine.mjs';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { PGliteDialect } from './pglite-dialect';
import { startPGliteThread, type PGliteHandle } from './pglite-thread';
import { channelFor, type SqlDatabase } from './sql-database';

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
  /**
   * A bulk load (the demo county): when dataDir holds no database yet, build it in memory and
   * write it there once, at `persist()` or `close()` (about a third less CPU than writing every
   * page through the file system as it goes). Until then nothing is on disk.
   */
  memoryFirst?: boolean;
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
    pglite = threadFor(options) === 'main' ? await inThisThread(options) : await startPGliteThread(options);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
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
    async dumpDataDir() {
      // Holding the one connection: no transaction is half done while the files are read.
      return db.connection().execute(() => pglite.dumpDataDir());
    },
    async persist() {
      // Holding the one connection, as for a dump: the database is copied between transactions.
      await db.connection().execute(() => pglite.persist());
    },
    async close() {
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** The option, else PGLITE_THREAD=main|worker (for measuring one against the other), else the worker. */
function threadFor(options: PGliteOptions): 'worker' | 'main' {
  return options.thread ?? (process.env.PGLITE_THREAD === 'main' ? 'main' : 'worker');
}

/** PGlite on the calling thread: each query holds the event loop while it runs. */
async function inThisThread(options: PGliteOptions): Promise<PGliteHandle> {
  const engine = await openEngine(options);
  return {
    query: (text, params) => engine.query(text, params),
    listen: (channel, onNotify) => engine.listen(channel, onNotify),
    dumpDataDir: async () => new Blob([await (await engine.dumpDataDir('gzip')).arrayBuffer()]),
    persist: () => engine.persist(),
    close: () => engine.close(),
  };
}
