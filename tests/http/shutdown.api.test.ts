import { describe, expect, it } from 'vitest';
import { bearer, startTestApp } from '../support/test-app';

describe('graceful shutdown', () => {
  // A longer time-out: the app starts inside the test, and on a loaded machine that alone can take 30 s.
  it('finishes a request in flight, then refuses new work and releases the database', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const inHandler = new Promise<void>((r) => (reached = r));
    const t = await startTestApp({
      backend: 'pglite',
      beforeReady: (app) =>
        app.get('/api/v1/test-slow', async () => {
          reached();
          await gate;
          return { done: true };
        }),
    });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const inFlight = fetch(`${address}/api/v1/test-slow`, { headers: bearer(t.token('admin')) });
    await inHandler; // not a pause: on a loaded machine the request may take longer to arrive

    const stopping = t.service.stop();
    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    await stopping;

    await expect(fetch(`${address}/health`)).rejects.toThrow();
    expect((await t.service.deps.projections.status()).length).toBeGreaterThan(0); // the database is still owned by the test
    await t.database.close();
  }, 120_000);
});
