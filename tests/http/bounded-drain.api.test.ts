import { describe, expect, it } from 'vitest';
import { stopGracefully } from '../../src/graceful-stop';
import { silentLogger } from '../support/logger';
import { bearer, startTestApp } from '../support/test-app';

describe('stopping with a request that does not finish', () => {
  it('cuts its connection after SHUTDOWN_TIMEOUT_MS, then stops projections and frees the port', async () => {
    let release!: () => void;
    const never = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const inHandler = new Promise<void>((r) => (arrived = r));
    const t = await startTestApp({
      beforeReady: (app) =>
        app.get('/api/v1/test-hung', async () => {
          arrived();
          await never;
          return { done: true };
        }),
    });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const hung = fetch(`${address}/api/v1/test-hung`, { headers: bearer(t.token('admin')) }).then(
      (r) => r.status,
      () => 'connection closed',
    );
    // In the handler before the stop begins (a fixed pause was not enough on a loaded machine: the
    // request then arrived during the stop and was answered 503).
    await inHandler;

    await stopGracefully(t.service, { timeoutMs: 300, logger: silentLogger });
    expect(await hung).toBe('connection closed');
    await expect(fetch(`${address}/health`)).rejects.toThrow();
    expect((await t.service.deps.projections.status()).every((p) => p.state === 'inline' || p.state === 'stopped')).toBe(true);
    release();
    await t.database.close();
  });
});
