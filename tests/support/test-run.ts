import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { assertSafeIdentifier } from '../../src/storage/sql-database';

/**
 * Names of what one test run creates on the PostgreSQL server of TEST_DATABASE_URL, so that a run
 * drops only its own (two runs may share a server) and leftovers of a killed run are recognised:
 *   <db>_r<run>_tpl   the migrated template of run <run>
 *   <db>_r<run>_<12 hex>   one test database, copied from that template
 * A run id starts with its start time (seconds, base 36), so stale leftovers can be told by age.
 */
export const TEMPLATE_SCHEMA = 't_template';
const STALE_AFTER_SECONDS = 6 * 3600;

export function newRunId(): string {
  return `${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(2).toString('hex')}`;
}

/** The database's name folded to lower case, as PostgreSQL folds the unquoted names made from it (hC → hc_r…). */
function baseName(url: string): string {
  return assertSafeIdentifier((decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres').toLowerCase());
}

export function templateDatabaseName(url: string, runId: string): string {
  return assertSafeIdentifier(`${baseName(url)}_r${runId}_tpl`);
}

export function testDatabaseName(url: string, runId: string): string {
  return assertSafeIdentifier(`${baseName(url)}_r${runId}_${randomBytes(6).toString('hex')}`);
}

/** The same server and credentials as `url`, another database. */
export function urlOfDatabase(url: string, database: string): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

export async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function dropDatabasesWhere(url: string, keep: (name: string) => boolean): Promise<void> {
  const prefix = `${baseName(url)}_r`;
  const names = await withAdminClient(url, async (client) => {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [prefix]);
    return rows.map((row) => row.datname).filter((name) => /^[0-9a-z]+_[0-9a-f]{4}_(tpl|[0-9a-f]{12})$/.test(name.slice(prefix.length)) && !keep(name));
  });
  // Several at once: each DROP DATABASE waits for a checkpoint (PostgreSQL <= 15), and drops waiting
  // together share one. One after another, a run's 130 databases took minutes at the end of the run
  // (8 drops at load 10: 7.4-8.8 s one by one, 0.45 s at once).
  const lanes = Array.from({ length: Math.min(DROP_LANES, names.length) }, () =>
    withAdminClient(url, async (client) => {
      for (let name = names.pop(); name; name = names.pop()) await client.query(`drop database if exists ${assertSafeIdentifier(name)} with (force)`);
    }),
  );
  await Promise.all(lanes);
}

const DROP_LANES = 8;

/** At the end of a run: its template and every test database copied from it. */
export function dropRunDatabases(url: string, runId: string): Promise<void> {
  const ours = `${baseName(url)}_r${runId}_`;
  return dropDatabasesWhere(url, (name) => !name.startsWith(ours));
}

/** At the start of a run: what runs killed before their teardown left behind, hours ago. */
export function dropStaleTestDatabases(url: string): Promise<void> {
  const prefix = `${baseName(url)}_r`;
  const now = Date.now() / 1000;
  return dropDatabasesWhere(url, (name) => now - parseInt(name.slice(prefix.length).split('_')[0]!, 36) < STALE_AFTER_SECONDS);
}

/**
 * A schema of its own for a test that makes one in the database of TEST_DATABASE_URL (least
 * privilege, prepared statements, the fallback without templates): t_<run>_<12 hex>, so that a run
 * drops only its own schemas and another run on the same server keeps its.
 */
export function testSchemaName(runId: string): string {
  return assertSafeIdentifier(`t_${runId}_${randomBytes(6).toString('hex')}`);
}

const TEST_SCHEMA = /^t_([0-9a-z]+)_[0-9a-f]{4}_[0-9a-f]{12}$/;

async function dropSchemasWhere(url: string, drop: (name: string, startedAtSeconds: number) => boolean): Promise<void> {
  await withAdminClient(url, async (client) => {
    const { rows } = await client.query<{ nspname: string }>(`select nspname from pg_namespace where nspname ~ '^t_[0-9a-z_]+$'`);
    for (const { nspname } of rows) {
      const match = TEST_SCHEMA.exec(nspname);
      // Before run ids (t_<12 hex>): a leftover of an older checkout, dropped as stale.
      const startedAt = match ? parseInt(match[1]!, 36) : /^t_[0-9a-f]{12}$/.test(nspname) ? 0 : NaN;
      if (Number.isNaN(startedAt) || !drop(nspname, startedAt)) continue;
      await client.query(`drop schema if exists ${assertSafeIdentifier(nspname)} cascade`);
    }
  });
}

/**
 * At the end of a run: the schemas its files made. Never while files are still running: Kysely's
 * migrator introspects every schema, and one dropped mid-introspection fails it ("schema … does
 * not exist"); a run that dropped every t_ schema broke a second run beside it this way.
 */
export function dropRunSchemas(url: string, runId: string): Promise<void> {
  return dropSchemasWhere(url, (name) => name.startsWith(`t_${runId}_`));
}

/** At the start of a run: the schemas of runs killed before their teardown, hours ago. */
export function dropStaleTestSchemas(url: string): Promise<void> {
  const now = Date.now() / 1000;
  return dropSchemasWhere(url, (_name, startedAt) => now - startedAt >= STALE_AFTER_SECONDS);
}
