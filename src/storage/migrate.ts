import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type MigrationResultSet } from 'kysely';
import { migrations } from '../../migrations/index';
import { rebasePositionsAfterRestore } from './restore-positions';
import type { SqlDatabase } from './sql-database';

function migratorFor(database: SqlDatabase): Migrator {
  return new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: database.schema,
  });
}

/**
 * Brings the schema to the latest migration; throws with the failing migration's name.
 *
 * Every start migrates first, and almost every start finds nothing to do. Kysely's Migrator would
 * still introspect every table and column to find its own two tables and lock them (70–230 ms of
 * PGlite's thread on each start; about a hundred starts in a test run), so a schema whose applied
 * migrations are exactly the known ones skips it. Anything else (a fresh database, pending
 * migrations, an applied one this code does not know) goes to the Migrator, which applies or
 * refuses as before.
 */
export async function migrateToLatest(database: SqlDatabase): Promise<MigrationResultSet> {
  const result = (await schemaIsCurrent(database)) ? { results: [] } : await migratorFor(database).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}`);
  }
  // Every entry point migrates first, so a restored database is made readable here.
  await rebasePositionsAfterRestore(database);
  return result;
}

/**
 * How many known migrations have not been applied. Read from the migration table itself: the
 * Migrator's getMigrations() introspects every table and column first, too much for a probe.
 */
export async function migrationsPending(database: SqlDatabase): Promise<number> {
  const known = Object.keys(migrations);
  const done = await appliedMigrations(database);
  return known.filter((name) => !done?.has(name)).length;
}

/** The applied migrations are the known ones, no more and no fewer. */
async function schemaIsCurrent(database: SqlDatabase): Promise<boolean> {
  const known = Object.keys(migrations);
  const done = await appliedMigrations(database);
  return done !== null && done.size === known.length && known.every((name) => done.has(name));
}

/**
 * The names in the migration table, or null while it (or, on PostgreSQL, its schema) does not
 * exist yet. Asked of the catalog rather than by catching the error a missing table
 * raises: that error, raised during the tests' global setup, reached vitest's stack mapping and
 * came out as an unrelated TypeError there.
 */
async function appliedMigrations(database: SqlDatabase): Promise<Set<string> | null> {
  const table = await sql<{
    present: boolean;
  }>`select to_regclass(format('%I.%I', ${database.schema}::text, ${DEFAULT_MIGRATION_TABLE}::text)) is not null as present`.execute(database.db);
  if (!table.rows[0]?.present) return null;
  const applied = await sql<{ name: string }>`select name from ${sql.id(database.schema, DEFAULT_MIGRATION_TABLE)}`.execute(database.db);
  return new Set(applied.rows.map((r) => r.name));
}
