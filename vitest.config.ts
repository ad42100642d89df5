import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: two workers, each file with its own schema or PGlite instance.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
