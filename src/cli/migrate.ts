import { openDatabase } from '../composition-root';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { migrateToLatest } from '../storage/migrate';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const database = await openDatabase(config, logger);
try {
  const result = await migrateToLatest(database);
  const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
} finally {
  await database.close();
}
