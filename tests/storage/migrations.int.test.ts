import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index';
import { migrateToLatest, migrationsPending } from '../../src/storage/migrate';
import { openEmptyPGlite } from '../support/test-database';

describe('pending migrations (readiness)', () => {
  it('counts every migration before the first run and none after it', async () => {
    const database = await openEmptyPGlite();
    try {
      expect(await migrationsPending(database)).toBe(Object.keys(migrations).length);
      await migrateToLatest(database);
      expect(await migrationsPending(database)).toBe(0);
    } finally {
      await database.close();
    }
  });
});
