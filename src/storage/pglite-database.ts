import { PGlite, types } from '@electric-sql/pglite';
import { CompiledQuery, Kysely } from 'kysely';
import { PGliteDialect } from './pglite-dialect';
import { channelFor, type SqlDatabase } from './sql-database';

export interface PGliteOptions {
  /** A directory for a file-backed database, or undefined for memory. */
  dataDir?: string;
}

/** Embedded PostgreSQL (WASM) in this process: the default, so no server is needed. */
export async function openPGlite(options: PGliteOptions = {}): Promise<SqlDatabase> {
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    // node-postgres returns int8 as a string; make PGlite agree so adapters see one shape.
    parsers: { [types.INT8]: (v: string) => v, [types.DATE]: (v: string) => v },
  });
  const db = new Kysely<any>({ dialect: new PGliteDialect(pglite) });
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
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
