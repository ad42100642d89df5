import { readFileSync } from 'node:fs';
import { inject as vitestInject } from 'vitest';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { openPostgres, type PostgresOptions } from '../../src/storage/postgres-database';
import { openPGlite, type PGliteOptions } from '../../src/storage/pglite-database';
import { migrateToLatest } from '../../src/storage/migrate';
import { leasePGlite } from './pglite-pool';
import { leasePostgres } from './postgres-pool';
import { TEMPLATE_SCHEMA, newRunId, testDatabaseName, testSchemaName, urlOfDatabase, withAdminClient } from './test-run';

export type Backend = 'postgres' | 'pglite';

/** What global-setup provided; nothing outside vitest (the bench scripts start apps with these helpers too). */
const inject: typeof vitestInject = (key) => {
  try {
    return vitestInject(key);
  } catch {
    return undefined as never;
  }
};

declare module 'vitest' {
  export interface ProvidedContext {
    /** True in the unit tier (vitest.config.ts), where no test may open a database. */
    databaseFree: boolean;
    /** True in the tiers that share one module graph per worker: test databases are lent from file to file (pglite-pool.ts, postgres-pool.ts). */
    reuseDatabases: boolean;
  }
}

/** The unit tier is pure code: a file that needs a database is an int or api file. */
function refuseInUnitTier(): void {
  if (inject('databaseFree')) throw new Error('the unit tier runs without a database: name this file *.int.test.ts or *.api.test.ts');
}

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
  /** PostgreSQL only: where this database is (for tools run beside it: pg_dump, CLIs). */
  url?: string;
  /** Reopen the same database (a "restart"): a new pool over the same schema. PostgreSQL only. */
  reopen?: () => Promise<SqlDatabase>;
}

/**
 * A fresh, migrated database isolated for one test file: its own PostgreSQL database copied from
 * the run's migrated template (see global-setup.ts), or its own PGlite loaded from the migrated
 * data dir. Without the templates (a file run outside the int and api tiers) it migrates itself.
 * `postgres.connectionString` (a proxy in front of the server, say) is pointed at the copy too.
 */
export async function openTestDatabase(backend?: Backend, postgres: Partial<PostgresOptions> = {}): Promise<TestDatabase> {
  refuseInUnitTier();
  const url = backend === 'pglite' ? null : await postgresUrl();
  if (backend === 'postgres' && !url) throw new Error('no PostgreSQL available for this test');
  if (url) {
    const template = inject('postgresTemplate');
    if (!template) return migratedSchema(url, postgres);
    if (inject('reuseDatabases')) return { ...(await leasePostgres(url, template, inject('testRunId'), postgres)), backend: 'postgres' };
    const name = testDatabaseName(url, inject('testRunId'));
    await withAdminClient(url, (client) => client.query(`create database ${name} template ${template}`));
    const options = { schema: TEMPLATE_SCHEMA, poolSize: 8, ...postgres, connectionString: urlOfDatabase(postgres.connectionString ?? url, name) };
    const database = await openPostgres(options);
    return {
      ...database,
      backend: 'postgres',
      url: urlOfDatabase(url, name),
      reopen: () => openPostgres(options),
      // The database itself is dropped by the global teardown (see global-setup.ts), not here.
      close: () => database.close(),
    };
  }
  if (inject('pgliteMigratedTemplate') && inject('reuseDatabases'))
    return { ...(await leasePGlite(() => pgliteFrom('pgliteMigratedTemplate'))), backend: 'pglite' };
  const database = await openPGlite(pgliteFrom('pgliteMigratedTemplate'));
  if (!inject('pgliteMigratedTemplate')) await migrateToLatest(database);
  return { ...database, backend: 'pglite' };
}

/** An in-memory PGlite as it is right after initdb: no migration applied yet. */
export async function openEmptyPGlite(): Promise<SqlDatabase> {
  refuseInUnitTier();
  return openPGlite(pgliteFrom('pgliteEmptyTemplate'));
}

function pgliteFrom(template: 'pgliteEmptyTemplate' | 'pgliteMigratedTemplate'): PGliteOptions {
  const path = inject(template);
  // An uncompressed tarball loads in about half the time of initdb (and, migrated, of all migrations).
  // On the test's own thread, unlike the service (PGLITE_THREAD=worker puts it on a worker thread, as
  // the service does, and as the system tier sets in vitest.config.ts): two vitest workers each with a PGlite thread busy on two cores, and every row
  // posted across, cost npm test 15 s of its 210 s summed over workers (7 s of its 112 s wall), back to back.
  // The worker-thread adapter keeps its own tests (pglite-statements.int.test.ts runs every statement
  // kind on both); the system and e2e tiers run the service as deployed, on the worker thread.
  const thread = process.env.PGLITE_THREAD === 'worker' ? 'worker' : 'main';
  return path ? { loadDataDir: new Blob([readFileSync(path)]), thread } : { thread };
}

/** The fallback without a template: a schema of its own in the database of `url`, migrated here. */
async function migratedSchema(url: string, postgres: Partial<PostgresOptions>): Promise<TestDatabase> {
  const schema = newTestSchema();
  const database = await openPostgres({ connectionString: url, schema, poolSize: 8, ...postgres });
  await migrateToLatest(database);
  return {
    ...database,
    backend: 'postgres',
    url,
    reopen: () => openPostgres({ connectionString: url, schema, poolSize: 8, ...postgres }),
    // The schema itself is dropped by the global teardown (see global-setup.ts), not here.
    close: () => database.close(),
  };
}

/** A schema name of this run's (see testSchemaName): the global teardown drops it, and no other run does. */
export function newTestSchema(): string {
  return testSchemaName(inject('testRunId') ?? newRunId());
}

/** The backends a shared contract suite runs on here: always PGlite, PostgreSQL when reachable. */
export async function availableBackends(): Promise<Backend[]> {
  return (await postgresUrl()) ? ['postgres', 'pglite'] : ['pglite'];
}
