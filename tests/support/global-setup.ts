import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedPGliteTemplates } from './pglite-template-cache';
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../src/storage/migrate';
import { PGliteDialect } from '../../src/storage/pglite-dialect';
import { openPostgres } from '../../src/storage/postgres-database';
import type { SqlDatabase } from '../../src/storage/sql-database';
import {
  TEMPLATE_SCHEMA,
  dropRunDatabases,
  dropStaleTestDatabases,
  dropRunSchemas,
  dropStaleTestSchemas,
  newRunId,
  templateDatabaseName,
  urlOfDatabase,
  withAdminClient,
} from './test-run';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's id: it names the run's PostgreSQL databases (see test-run.ts). */
    testRunId: string;
    /** An uncompressed PGlite data-dir tarball right after initdb, with no migration applied. */
    pgliteEmptyTemplate: string;
    /** The same, migrated to the latest migration: what a test file's PGlite starts from. */
    pgliteMigratedTemplate: string;
    /** A migrated PostgreSQL database (schema TEMPLATE_SCHEMA) each test database is copied from, or '' without PostgreSQL. */
    postgresTemplate: string;
  }
}

interface Templates {
  runId: string;
  pgliteEmpty: string;
  pgliteMigrated: string;
  postgres: string;
  /** Projects that still hold the templates; the last one to finish drops them. */
  users: number;
  drop(): Promise<void>;
}

/** Both database tiers (int, api) name this file; in one vitest process they share one set of templates. */
const shared = globalThis as typeof globalThis & { testTemplates?: Promise<Templates> };

/**
 * Once per run, before any file: migrate one PGlite and one PostgreSQL database and keep them as
 * templates. Every test database is then a copy (PGlite loadDataDir, CREATE DATABASE … TEMPLATE)
 * instead of initdb plus all migrations per file, which is where the time of a loaded machine went.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const templates = await (shared.testTemplates ??= makeTemplates());
  templates.users += 1;
  project.provide('testRunId', templates.runId);
  project.provide('pgliteEmptyTemplate', templates.pgliteEmpty);
  project.provide('pgliteMigratedTemplate', templates.pgliteMigrated);
  project.provide('postgresTemplate', templates.postgres);
  return async () => {
    templates.users -= 1;
    if (templates.users === 0) await templates.drop();
  };
}

async function makeTemplates(): Promise<Templates> {
  const runId = newRunId();
  const dir = mkdtempSync(join(tmpdir(), 'sws-test-templates-'));
  const pglite = await cachedPGliteTemplates(dir, pgliteTemplates);
  const url = process.env.TEST_DATABASE_URL;
  let postgres = '';
  if (url) {
    await dropStaleTestSchemas(url);
    await dropStaleTestDatabases(url);
    postgres = await postgresTemplateDatabase(url, runId);
  }
  return {
    runId,
    pgliteEmpty: pglite.empty,
    pgliteMigrated: pglite.migrated,
    postgres,
    users: 0,
    async drop() {
      if (url) {
        await dropRunDatabases(url, runId);
        await dropRunSchemas(url, runId);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function pgliteTemplates(dir: string): Promise<{ empty: string; migrated: string }> {
  // The same parsers as openPGlite, so migrations see the values they see in the service.
  const pglite = await PGlite.create({ parsers: { [types.INT8]: (v: string) => v, [types.DATE]: (v: string) => v } });
  const db: SqlDatabase['db'] = new Kysely({ dialect: new PGliteDialect(pglite) });
  try {
    // Uncompressed: loading a plain tarball is about half the time of a gzip one.
    const empty = join(dir, 'pglite-empty.tar');
    writeFileSync(empty, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
    await migrateToLatest(embedded(db));
    const migrated = join(dir, 'pglite-migrated.tar');
    writeFileSync(migrated, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
    return { empty, migrated };
  } finally {
    await db.destroy();
    await pglite.close();
  }
}

/** Just what migrateToLatest uses of a SqlDatabase, over the template's PGlite. */
function embedded(db: SqlDatabase['db']): SqlDatabase {
  return {
    kind: 'pglite',
    db,
    schema: 'public',
    listen: () => Promise.reject(new Error('the template database is not listened to')),
    prepared: () => Promise.reject(new Error('the template database runs migrations only')),
    close: () => db.destroy(),
  };
}

async function postgresTemplateDatabase(url: string, runId: string): Promise<string> {
  const name = templateDatabaseName(url, runId);
  await withAdminClient(url, (client) => client.query(`create database ${name}`));
  const database = await openPostgres({ connectionString: urlOfDatabase(url, name), schema: TEMPLATE_SCHEMA, poolSize: 1 });
  try {
    await migrateToLatest(database);
  } finally {
    await database.close();
  }
  return name;
}
