import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loaderPGliteThread, openDatabaseForCli } from '../../src/cli/open-database';
import { loadConfig } from '../../src/config';
import { acquireDataDirLock, DataDirLockedError } from '../../src/storage/data-dir-lock';

/**
 * `npm run seed:demo` on the embedded store runs PGlite on its own thread (issue 15: one message to
 * the worker thread and back per statement was 40 % of the sample's load), while the service keeps
 * the worker thread for its event loop. The loader's files must be the service's files, and the
 * data-dir lock must hold the same way.
 */
describe('the loader on the embedded store', () => {
  const root = mkdtempSync(join(tmpdir(), 'sws-loader-thread-'));
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('runs PGlite on its own thread unless PGLITE_THREAD=worker asks for the worker', () => {
    expect(loaderPGliteThread({})).toBe('main');
    expect(loaderPGliteThread({ PGLITE_THREAD: 'main' })).toBe('main');
    expect(loaderPGliteThread({ PGLITE_THREAD: 'worker' })).toBe('worker');
  });

  it('holds the data-dir lock on its thread, and leaves files the worker thread reads', async () => {
    const config = loadConfig({ DATA_DIR: join(root, 'data') });
    const loader = await openDatabaseForCli(config, 'npm run seed:demo', { pgliteThread: 'main' });
    try {
      expect(() => acquireDataDirLock(`${config.DATA_DIR}/pglite`)).toThrow(DataDirLockedError);
      await sql`create table loaded (n int)`.execute(loader.db);
      await sql`insert into loaded values (1), (2), (3)`.execute(loader.db);
    } finally {
      await loader.close();
    }
    const service = await openDatabaseForCli(config, 'npm start', { pgliteThread: 'worker' });
    try {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from loaded`.execute(service.db);
      expect(rows[0]!.n).toBe(3);
    } finally {
      await service.close();
    }
  });
});
