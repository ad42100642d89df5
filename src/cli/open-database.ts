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

/** How long a loader's command waits for a pool connection on PostgreSQL, unless DB_CONNECT_TIMEOUT_MS says. */
export const LOADER_CONNECT_WAIT_MS = 120_000;

/**
 * The pool wait of a loader (seed:demo): the service's 5 s answers a waiting HTTP client soon,
 * but a loader has no client, and on a machine at load 15 its writers, projections and ledger
 * sealer waited longer than that for one of the pool's connections and the county's load died
 * half-way ("timeout exceeded when trying to connect"). An explicit DB_CONNECT_TIMEOUT_MS wins.
 */
export function loaderConnectWaitMs(env: NodeJS.ProcessEnv, configured: number): number {
  return env.DB_CONNECT_TIMEOUT_MS ? configured : LOADER_CONNECT_WAIT_MS;
}
