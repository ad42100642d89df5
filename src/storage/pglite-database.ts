import type { Database } from './database';
import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { CompiledQuery, Kysely } from 'kysely';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { PGliteDialect } from './pglite-dialect';
import { channelFor, type SqlDatabase } from './sql-database';

export interface PGliteOptions {
  /** A directory for a file-backed database, or undefined for memory. */
  dataDir?: string;
  /** Who holds the data dir's lock, for others' refusal messages (default: the npm script). */
  lockPurpose?: string;
  /** A data-dir dump (npm run backup) to load into an empty dataDir before opening it. */
  loadDataDir?: Blob;
}

/** Embedded PostgreSQL (WASM) in this process: the default, so no server is needed. */
export async function openPGlite(options: PGliteOptions = {}): Promise<SqlDatabase> {
  let lock: DataDirLock | undefined;
  if (options.dataDir) {
    // A DATA_DIR that does not exist yet is created (a fresh volume, a new path).
    mkdirSync(options.dataDir, { recursive: true });
    lock = acquireDataDirLock(options.dataDir, options.lockPurpose);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      // node-postgres returns int8 as a string; make PGlite agree so adapters see one shape.
      parsers: { [types.INT8]: (v: string) => v, [types.DATE]: (v: string) => v },
    });
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
      return db.connection().execute(() => pglite.dumpDataDir('gzip'));
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
