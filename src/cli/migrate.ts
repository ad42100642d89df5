import { loadConfig } from '../config';
import { migrateToLatest } from '../storage/migrate';
import { migrations } from '../../migrations/index';
import { parseCli, progress, runCli } from './cli-kit';
import { openDatabaseForCli } from './open-database';

const spec = {
  command: 'npm run migrate --',
  summary:
    'Brings the database schema to the latest migration (the service also does this at start). On the embedded store it refuses while a service holds the data directory.',
  options: {},
  help: {},
  env: {
    DATABASE_URL: 'PostgreSQL to migrate; absent = the embedded PGlite store under DATA_DIR',
    DATA_DIR: 'where the embedded store lives (default ./data)',
  },
} as const;

await runCli('migrate', async () => {
  parseCli(spec);
  const config = loadConfig();
  const database = await openDatabaseForCli(config, 'npm run migrate');
  try {
    const bar = progress('migrate');
    bar.update(0, Object.keys(migrations).length);
    const result = await migrateToLatest(database);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    bar.done(applied.length ? `applied ${applied.length}: ${applied.join(', ')}` : 'already up to date');
  } finally {
    await database.close();
  }
});
