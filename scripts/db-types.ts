/**
 * The `Database` interface of table types, generated from the migrated schema (kysely-codegen).
 *
 *   npm run db:types          rewrite src/storage/database.generated.ts
 *   npm run db:types -- --check   fail when the checked-in file differs from the migrations
 *
 * Migrates a fresh, throw-away schema on DATABASE_URL (else TEST_DATABASE_URL), introspects
 * it and drops it again, so the types follow the migrations and never a developer's database.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { migrateToLatest } from '../src/storage/migrate';
import { openPostgres } from '../src/storage/postgres-database';

const OUT_FILE = fileURLToPath(new URL('../src/storage/database.generated.ts', import.meta.url));

/**
 * How the drivers hand columns back (see postgres-database.ts and pglite-database.ts): dates stay
 * 'yyyy-mm-dd' text; int8 and numeric arrive as text (Int8 / Numeric of kysely-codegen).
 */
const CODEGEN_ARGS = ['--dialect', 'postgres', '--date-parser', 'string', '--out-file', OUT_FILE];

const check = process.argv.includes('--check');
const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!url) {
  console.error('db:types needs PostgreSQL: set DATABASE_URL or TEST_DATABASE_URL');
  process.exit(2);
}

const schema = `types_${randomBytes(6).toString('hex')}`;
const database = await openPostgres({ connectionString: url, schema, poolSize: 2 });
let status: number;
try {
  await migrateToLatest(database);
  const run = spawnSync(
    process.execPath,
    [
      fileURLToPath(new URL('../node_modules/kysely-codegen/dist/cli/bin.js', import.meta.url)),
      ...CODEGEN_ARGS,
      '--url',
      url,
      '--default-schema',
      schema,
      // Only this run's schema: the database may hold others (test schemas, a parallel run).
      '--include-pattern',
      `${schema}.*`,
      '--exclude-pattern',
      `${schema}.kysely_*`,
      ...(check ? ['--verify'] : []),
    ],
    { stdio: 'inherit' },
  );
  status = run.status ?? 1;
  if (status !== 0 && check) console.error('src/storage/database.generated.ts is out of date: run `npm run db:types`');
} finally {
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
  await database.close();
}
process.exit(status);
