import { describe, expect, it } from 'vitest';
import { bearer, startTestApp } from '../support/test-app';

describe('graceful shutdown', () => {
  it('finishes a request in flight, then refuses new work and releases the database', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const t = await startTestApp({
      backend: 'pglite',
      beforeReady: (app) =>
        app.get('/api/v1/test-slow', async () => {
          await gate;
          return { done: true };
        }),
    });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const inFlight = fetch(`${address}/api/v1/test-slow`, { headers: bearer(t.token('admin')) });
    await new Promise((r) => setTimeout(r, 100)); // let the request reach the handler

    const stopping = t.service.stop();
    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    await stopping;

    await expect(fetch(`${address}/health`)).rejects.toThrow();
    expect((await t.service.deps.projections.status()).length).toBeGreaterThan(0); // the database is still owned by the test
    await t.database.close();
  });
});
