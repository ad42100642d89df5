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

/** Brings the schema to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(database: SqlDatabase): Promise<MigrationResultSet> {
  const result = await migratorFor(database).migrateToLatest();
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
  try {
    const applied = await sql<{ name: string }>`select name from ${sql.id(database.schema, DEFAULT_MIGRATION_TABLE)}`.execute(database.db);
    const done = new Set(applied.rows.map((r) => r.name));
    return known.filter((name) => !done.has(name)).length;
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) return known.length;
    throw error;
  }
}

/** SQLSTATE 42P01: the migration table does not exist yet (nothing migrated). */
const UNDEFINED_TABLE = '42P01';
