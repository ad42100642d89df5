import { openPostgres, type PostgresOptions } from '../../src/storage/postgres-database';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { pristineOf, resetTo, type Pristine, type Query } from './database-reset';
import { TEMPLATE_SCHEMA, testDatabaseName, urlOfDatabase, withAdminClient } from './test-run';

/**
 * Test databases on PostgreSQL lent from file to file (issue 18), as pglite-pool.ts lends PGlites.
 * Each copy of the run's template (CREATE DATABASE … TEMPLATE) writes the whole template through
 * the WAL, and each was dropped at the end of the run with a checkpoint of its own. A closed test
 * database is instead put back as the template left it (database-reset.ts) and lent to the next
 * opener of the same worker process. One that cannot be (another session still on it, a schema
 * a test changed, no superuser to reset it) is left alone, and the end of the run drops it with
 * the rest of the run's databases.
 */

interface Pooled {
  name: string;
  pristine: Pristine;
}

const idle: Pooled[] = [];

/** How the pool has done in this worker process: databases copied, put back for the next file, and left to the end of the run. */
export const postgresPoolStats = { created: 0, putBack: 0, leftAlone: 0 };

/** On a server, roles belong to every database and sessions end with the file's pool. */
const SCOPE = { rolesAndSession: false };

export interface LentPostgres extends SqlDatabase {
  url: string;
  reopen: () => Promise<SqlDatabase>;
}

/** A database of this run lent from the pool, or a new copy of the template, pooled on close. */
export async function leasePostgres(url: string, template: string, runId: string, postgres: Partial<PostgresOptions>): Promise<LentPostgres> {
  const pooled = idle.pop() ?? (await createPooled(url, template, runId));
  const options = { schema: TEMPLATE_SCHEMA, poolSize: 8, ...postgres, connectionString: urlOfDatabase(postgres.connectionString ?? url, pooled.name) };
  const database = await openPostgres(options);
  let given = false;
  return {
    ...database,
    url: urlOfDatabase(url, pooled.name),
    reopen: () => openPostgres(options),
    async close() {
      await database.close();
      if (given) return;
      given = true;
      if (await withAdminClient(urlOfDatabase(url, pooled.name), (client) => emptied(asQuery(client), pooled.pristine))) {
        postgresPoolStats.putBack += 1;
        idle.push(pooled);
      } else postgresPoolStats.leftAlone += 1;
    },
  };
}

async function createPooled(url: string, template: string, runId: string): Promise<Pooled> {
  const name = testDatabaseName(url, runId);
  await withAdminClient(url, (client) => client.query(`create database ${name} template ${template}`));
  postgresPoolStats.created += 1;
  return { name, pristine: await withAdminClient(urlOfDatabase(url, name), (client) => pristineOf(asQuery(client), SCOPE)) };
}

/** Put back only when nobody else is on it: a session the file left open (a pool it reopened, a CLI) could still write. */
async function emptied(query: Query, pristine: Pristine): Promise<boolean> {
  const others = await query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
  return others[0]!.n === 0 && resetTo(query, pristine, SCOPE);
}

function asQuery(client: { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }): Query {
  return async <R>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as R[];
}
