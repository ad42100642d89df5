import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The web console at `/` (issue 17): its files, index.html for the console's own paths (a reload
 * of /worker/overdue), and the service's paths untouched: their 404s stay problem+json.
 */
let t: TestApp;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html lang="zh-CN"><title>社工站工作台</title><div id="root"></div></html>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("console")');
  // As the build writes it (web/vite.config.ts, precompress): the brotli copy beside the script.
  writeFileSync(join(dir, 'assets', 'index-abc123.js.br'), brotliCompressSync('console.log("console")'));
  t = await startTestApp({ backend: 'pglite', env: { CONSOLE_DIR: dir } });
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the web console served by the service', () => {
  it('answers / and the console’s own paths with index.html, without a token', async () => {
    for (const url of ['/', '/worker/overdue', '/worker/households/1b4e28ba-2fa1-11d2-883f-0016d3cca427?tab=visits']) {
      const reply = await t.app.inject({ method: 'GET', url });
      expect(reply.statusCode, url).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/html/);
      expect(reply.body).toContain('社工站工作台');
      expect(reply.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves the built assets, cached for good since their names carry a hash', async () => {
    const reply = await t.app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toMatch(/javascript/);
    expect(reply.headers['cache-control']).toContain('immutable');
  });

  it('sends the brotli copy the build wrote to a browser that accepts it, and the plain file to one that does not', async () => {
    const br = await t.app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toContain('immutable');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe('console.log("console")');
    const plain = await t.app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log("console")');
  });

  it('keeps the service’s paths: unknown API routes are problem+json 404s, not the console', async () => {
    for (const url of ['/api/v1/no-such-thing', '/api', '/metrics/x', '/health/deep', '/docs/nothing-here.js']) {
      const reply = await t.app.inject({ method: 'GET', url });
      expect(reply.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(reply.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(api.statusCode).toBe(404);
    const body = api.json<{ status: number; type: string }>();
    expect(body.status).toBe(404);
    expect(body.type).toMatch(/not-found$/);
  });

  it('leaves the API’s own routes, health and docs answering as before', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/towns' })).statusCode).toBe(401);
    const docs = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json<{ paths: object }>().paths)).not.toContain('/*');
  });

  it('sends the console with a CSP that allows its own scripts and antd’s inline styles, nothing from elsewhere', async () => {
    const csp = String((await t.app.inject({ method: 'GET', url: '/' })).headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});
