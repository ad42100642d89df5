import { defineConfig } from 'vitest/config';

/**
 * Three tiers, chosen by file suffix (npm run test:unit|int|api; npm test runs all three):
 * - unit: pure code (the domain, helpers); no database, no global setup.
 * - int: storage, projections, processes and CLIs against PGlite and PostgreSQL.
 * - api: the HTTP service in process (fastify inject) over a test database.
 * `npm run test:timings` adds a per-file breakdown (imports, hooks, tests) to find slow files.
 */
/** Tests that change what every database on the PostgreSQL server sees: run alone, last. */
const SERVER_WIDE = ['tests/projections/stalled-projection.int.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: two workers. Forks, not threads: some tests send signals and watch child processes.
    pool: 'forks',
    maxWorkers: 2,
    reporters: process.env.TIMINGS ? ['default', './tests/support/file-timings-reporter.ts'] : ['default'],
    projects: [
      // Pure code shares one module graph per worker (no isolation): importing it again for each
      // file cost three quarters of this tier's time (26 s against 7 s on a loaded machine).
      { extends: true, test: { name: 'unit', include: ['tests/**/*.unit.test.ts'], isolate: false } },
      { extends: true, test: { name: 'int', include: ['tests/**/*.int.test.ts'], exclude: SERVER_WIDE, globalSetup: ['tests/support/global-setup.ts'] } },
      // After everything else: its idle transaction holds back every gap-safe reader on the server.
      { extends: true, test: { name: 'int-alone', include: SERVER_WIDE, globalSetup: ['tests/support/global-setup.ts'], sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'api', include: ['tests/**/*.api.test.ts'], globalSetup: ['tests/support/global-setup.ts'] } },
    ],
  },
});
