import { DEFAULT_MIGRATION_TABLE, sql, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index';
import { migrateToLatest, migrationsPending } from '../../src/storage/migrate';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { availableBackends, openEmptyPGlite, openTestDatabase } from '../support/test-database';

describe('pending migrations (readiness)', () => {
  it('counts every migration before the first run and none after it', async () => {
    const database = await openEmptyPGlite();
    try {
      expect(await migrationsPending(database)).toBe(Object.keys(migrations).length);
      const first = await migrateToLatest(database);
      expect(first.results?.filter((r) => r.status === 'Success')).toHaveLength(Object.keys(migrations).length);
      expect(await migrationsPending(database)).toBe(0);
    } finally {
      await database.close();
    }
  });
});

/** The database with every statement built through its query builder written down (as operation nodes). */
function recording(database: SqlDatabase): { database: SqlDatabase; statements: string[] } {
  const statements: string[] = [];
  const recorder: KyselyPlugin = {
    transformQuery: ({ node }) => {
      statements.push(JSON.stringify(node satisfies RootOperationNode, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)));
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { database: { ...database, db: database.db.withPlugin(recorder) }, statements };
}

describe.each(await availableBackends())('starting on a migrated schema on %s', (backend) => {
  it('does not run the migrator when every known migration is applied: no catalog introspection, no migration lock', async () => {
    const database = await openTestDatabase(backend);
    try {
      const { database: watched, statements } = recording(database);
      const result = await migrateToLatest(watched);
      expect(result.error).toBeUndefined();
      expect(result.results).toEqual([]);
      expect(statements.some((s) => s.includes(DEFAULT_MIGRATION_TABLE))).toBe(true);
      expect(statements.filter((s) => s.includes('pg_attribute') || s.includes('kysely_migration_lock'))).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it('still refuses a schema holding a migration this code does not know (a newer release ran on it)', async () => {
    const database = await openTestDatabase(backend);
    try {
      await sql`insert into ${sql.id(database.schema, DEFAULT_MIGRATION_TABLE)} (name, timestamp) values ('9999_from_a_newer_release', now()::text)`.execute(
        database.db,
      );
      await expect(migrateToLatest(database)).rejects.toThrow(/9999_from_a_newer_release/);
    } finally {
      await database.close();
    }
  });
});
