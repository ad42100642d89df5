import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { named } from '../../src/http/named-plugin';
import { startTestApp } from '../support/test-app';

const DISPLAY_NAME = Symbol.for('fastify.display-name');

describe('route plugins carry their names', () => {
  afterEach(() => vi.restoreAllMocks());

  it('names a plugin by its function, and keeps a name it already has', () => {
    async function householdRoutes() {}
    expect(named(householdRoutes)).toBe(householdRoutes);
    expect((householdRoutes as unknown as Record<symbol, unknown>)[DISPLAY_NAME]).toBe('householdRoutes');
    const wrapped = Object.defineProperty(async function inner() {}, DISPLAY_NAME, { value: 'auth' });
    expect((named(wrapped) as unknown as Record<symbol, unknown>)[DISPLAY_NAME]).toBe('auth');
  });

  // Fastify looks for an unnamed plugin among the exports of every module in require.cache, at each
  // registration: a fifth of an app's start in a test worker. Building the whole app walks it only for a dependency's own unnamed plugin.
  it('builds the whole app without fastify walking the module cache to name any of its plugins', async () => {
    const moduleCache = createRequire(import.meta.url).cache;
    const keys = vi.spyOn(Object, 'keys');
    const t = await startTestApp();
    try {
      const walks = keys.mock.calls.filter(([target]) => target === moduleCache).length;
      expect(t.app.printPlugins()).toContain('householdRoutes');
      // Two walks (one registration) are @fastify/swagger-ui's own inner routes plugin, out of our reach.
      expect(walks).toBeLessThanOrEqual(2);
    } finally {
      await t.close();
    }
  });
});
