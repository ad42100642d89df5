import { randomBytes } from 'node:crypto';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { openPostgres, type PostgresOptions } from '../../src/storage/postgres-database';
import { openPGlite } from '../../src/storage/pglite-database';
import { migrateToLatest } from '../../src/storage/migrate';

export type Backend = 'postgres' | 'pglite';

let containerUrl: Promise<string | null> | null = null;

/**
 * Where PostgreSQL tests run: TEST_DATABASE_URL when set, else a testcontainer when a Docker
 * engine answers, else nowhere (callers fall back to PGlite).
 */
export function postgresUrl(): Promise<string | null> {
  if (process.env.TEST_DATABASE_URL) return Promise.resolve(process.env.TEST_DATABASE_URL);
  containerUrl ??= (async () => {
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      await getContainerRuntimeClient();
    } catch {
      return null;
    }
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    return container.getConnectionUri();
  })();
  return containerUrl;
}

export interface TestDatabase extends SqlDatabase {
  backend: Backend;
  /** Reopen the same database (a "restart"): a new pool over the same schema. PostgreSQL only. */
  reopen?: () => Promise<SqlDatabase>;
}

/** A fresh, migrated database isolated for one test file: its own schema, or its own PGlite. */
export async function openTestDatabase(backend?: Backend, postgres: Partial<PostgresOptions> = {}): Promise<TestDatabase> {
  const url = backend === 'pglite' ? null : await postgresUrl();
  if (backend === 'postgres' && !url) throw new Error('no PostgreSQL available for this test');
  if (url) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const database = await openPostgres({ connectionString: url, schema, poolSize: 8, ...postgres });
    await migrateToLatest(database);
    return {
      ...database,
      backend: 'postgres',
      reopen: () => openPostgres({ connectionString: url, schema, poolSize: 8, ...postgres }),
      // The schema itself is dropped by the global teardown (see global-setup.ts), not here.
      close: () => database.close(),
    };
  }
  const database = await openPGlite();
  await migrateToLatest(database);
  return { ...database, backend: 'pglite' };
}

/** The backends a shared contract suite runs on here: always PGlite, PostgreSQL when reachable. */
export async function availableBackends(): Promise<Backend[]> {
  return (await postgresUrl()) ? ['postgres', 'pglite'] : ['pglite'];
}
