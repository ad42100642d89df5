import { Migrator, type MigrationResultSet } from 'kysely';
import { migrations } from '../../migrations/index';
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
  return result;
}

/** True when every known migration has been applied. */
export async function migrationsPending(database: SqlDatabase): Promise<number> {
  const list = await migratorFor(database).getMigrations();
  return list.filter((m) => !m.executedAt).length;
}
