import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { availableParallelism, loadavg } from 'node:os';

/**
 * Tiers, chosen by file suffix (npm run test:unit|int|api|web|system; npm test runs the first four):
 * - unit: pure code (the domain, helpers); no database, no global setup.
 * - int: storage, projections and application services against PGlite and PostgreSQL, in process.
 * - api: the HTTP service in process (fastify inject) over a test database.
 *   (int and api run as one vitest project, int-api, sharing a module graph per worker.)
 * - web: the console's components (files named *.web.test.tsx under web/src) in happy-dom.
 * - system (npm run test:system, not part of npm test; CI runs it): the service and its CLIs
 *   started as processes (npm start, DEMO=1, every CLI), whole demo counties loaded and
 *   county-size batches, a DATA_DIR created on disk from initdb (the service's first start, 3-6 s
 *   of one core each: embedded-backup, loader-thread), the PDF printing in Chromium: minutes of CPU
 *   that a change to one slice rarely needs. Files named *.system.test.ts.
 * - e2e (npm run test:e2e, not part of npm test): the built console in Debian's Chromium against a
 *   running demo service (files named *.e2e.test.ts under tests/e2e); only listed when E2E=1.
 * `npm run test:timings` adds a per-file breakdown (imports, hooks, tests) to find slow files.
 */
/** Tests that change what every database on the PostgreSQL server sees: run alone, last. */
const SERVER_WIDE = ['tests/projections/stalled-projection.int.test.ts'];

/**
 * The load per core when the run starts, 1 to 10: the same factor as tests/support/load-scale.ts
 * (not imported: vite's native config loader wants no extension-less imports in this file).
 */
const scale = Math.min(10, Math.max(1, loadavg()[0]! / availableParallelism()));

export default defineConfig({
  test: {
    // Defaults for tests and hooks that name no time-out of their own, grown with the load (see
    // load-scale.ts): a loaded machine failed a file's beforeAll at 60 s while starting PGlite.
    testTimeout: Math.round(60_000 * scale),
    hookTimeout: Math.round(120_000 * scale),
    // Two cores: two workers. Forks, not threads: some tests send signals and watch child processes.
    pool: 'forks',
    maxWorkers: 2,
    // Vite's transforms of the sources kept on disk between runs (node_modules/.experimental-vitest-cache,
    // keyed by each file's text and the config; a new lockfile clears it; `npx vitest --clearCache`
    // by hand): a run transformed every file again in the main process, 16.6 s of CPU of a run's
    // 224 s, against 4.5 s with the cache (back to back, load 2-4). VITEST_FS_CACHE=0 turns it off.
    // Known flaw (vitest 4.1): with it on, an error a kysely query throws during the global setup comes
    // out as "TypeError: code.charCodeAt is not a function" (vite's stack mapping): rerun with
    // VITEST_FS_CACHE=0 to see the real one.
    experimental: { fsModuleCache: process.env.VITEST_FS_CACHE !== '0' },
    reporters: process.env.TIMINGS ? ['default', './tests/support/file-timings-reporter.ts'] : ['default'],
    projects: [
      // Pure code shares one module graph per worker (no isolation): importing it again for each
      // file cost three quarters of this tier's time (26 s against 7 s on a loaded machine).
      // No database either: the test-database helpers refuse to open one here (databaseFree).
      { extends: true, test: { name: 'unit', include: ['tests/**/*.unit.test.ts'], isolate: false, provide: { databaseFree: true } } },
      // One module graph per file (isolated): these start processes, threads and whole demo counties.
      // Their test PGlites on a worker thread, as the service runs its own (test-database.ts).
      {
        extends: true,
        test: { name: 'system', include: ['tests/**/*.system.test.ts'], globalSetup: ['tests/support/global-setup.ts'], env: { PGLITE_THREAD: 'worker' } },
      },
      // After everything else: its idle transaction holds back every gap-safe reader on the server.
      { extends: true, test: { name: 'int-alone', include: SERVER_WIDE, globalSetup: ['tests/support/global-setup.ts'], sequence: { groupOrder: 1 } } },
      // The int and api files in one project, one module graph per worker (no isolation): the service
      // an api file imports holds everything an int file does, so a worker imports it once rather than
      // once per tier (int and api as two projects, back to back on an idle machine: 86.4 s wall and
      // 161.8 s of CPU; as one: 77.5 s and 144.3 s), and a test PGlite is lent across both (pglite-pool.ts).
      // Isolated, importing was most of the time (int, at load 7-10: 193 s wall isolated against 88 s
      // shared; api: 0.54-0.58x the CPU shared). No file mocks modules or changes the environment.
      // DB_ISOLATE=1 isolates again, to bisect a leak. `npm run test:int` and `test:api` pick their
      // files by suffix (package.json).
      {
        extends: true,
        test: {
          name: 'int-api',
          include: ['tests/**/*.int.test.ts', 'tests/**/*.api.test.ts'],
          exclude: SERVER_WIDE,
          globalSetup: ['tests/support/global-setup.ts'],
          isolate: process.env.DB_ISOLATE === '1',
          provide: { reuseDatabases: process.env.DB_ISOLATE !== '1' },
        },
      },
      // One module graph per worker here too: importing antd and React again for each file was half
      // of this tier's CPU (69 s isolated against 33 s shared, 13 files, load 22). Every render gets a
      // fresh query client and language (web/src/test/render.tsx), so no state crosses files.
      // WEB_ISOLATE=1 isolates again.
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'web',
          include: ['web/src/**/*.web.test.tsx'],
          environment: 'happy-dom',
          setupFiles: ['web/src/test/setup.ts'],
          isolate: process.env.WEB_ISOLATE === '1',
          provide: { loadScale: scale },
        },
      },
      ...(process.env.E2E
        ? [
            {
              extends: true as const,
              test: {
                name: 'e2e',
                include: ['tests/e2e/**/*.e2e.test.ts'],
                globalSetup: ['tests/e2e/support/global-setup.ts'],
                // Two files at once (each its own browser, one shared service; the OIDC file starts its own):
                // no file depends on another's writes, and every wait is for what the user sees, so the
                // order does not matter. Time-outs grown with the load like the other tiers: at a load of
                // 29 on two cores the bureau's seven screens took over 120 s.
                fileParallelism: true,
                maxWorkers: 2,
                testTimeout: Math.round(120_000 * scale),
                hookTimeout: Math.round(300_000 * scale),
              },
            },
          ]
        : []),
    ],
  },
});
