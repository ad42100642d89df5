import { sql } from 'kysely';
import type { Config } from '../config';
import { createLogger } from '../logger';
import { openPGlite } from '../storage/pglite-database';
import { openPostgres } from '../storage/postgres-database';
import type { SqlDatabase } from '../storage/sql-database';

/**
 * Opens the configured database for a command-line tool and proves the connection with one
 * query, so a bad DATABASE_URL fails here with the driver's own error code (which cli-kit turns
 * into one readable line) rather than later as "migration unknown failed". PGlite takes the
 * data-dir lock: a running service is named, not trampled.
 */
export async function openDatabaseForCli(config: Config, purpose: string, options: { pgliteThread?: 'main' | 'worker' } = {}): Promise<SqlDatabase> {
  const database = config.DATABASE_URL
    ? await openPostgres({
        connectionString: config.DATABASE_URL,
        poolSize: 2,
        preparedStatements: config.DB_PREPARED_STATEMENTS,
        logger: createLogger('silent'),
      })
    : await openPGlite({ dataDir: pgliteDir(config), lockPurpose: purpose, ...(options.pgliteThread ? { thread: options.pgliteThread } : {}) });
  try {
    await sql`select 1`.execute(database.db);
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  return database;
}

/** Where the embedded store keeps its files under DATA_DIR. */
export const pgliteDir = (config: Pick<Config, 'DATA_DIR'>) => `${config.DATA_DIR.replace(/\/$/, '')}/pglite`;

/**
 * Where a loader with no HTTP to keep responsive runs PGlite: on its own thread, unless
 * PGLITE_THREAD=worker asks for the service's arrangement. The worker thread exists so that a
 * query never holds the service's event loop (issue 20); a loader has no event loop to protect,
 * and one message to the worker and back per statement was 40 % of the sample's load time
 * (idle, 2 cores: 75.1 s in the worker, 45.1 s on the loader's thread; BENCHMARKS.md, session 10).
 */
export function loaderPGliteThread(env: NodeJS.ProcessEnv): 'main' | 'worker' {
  return env.PGLITE_THREAD === 'worker' ? 'worker' : 'main';
}
