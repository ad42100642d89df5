import { generateKeyPairSync } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { asDba } from '../support/tamper';

describe('operations API: health, readiness, docs, projections, audit verify', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp({
      beforeReady: (app) =>
        app.get('/api/v1/test-crash', async () => {
          throw new Error('secret internal detail at /srv/app.ts:42');
        }),
    });
    admin = bearer(t.token('admin'));
  });
  afterAll(async () => t?.close());

  it('answers liveness and readiness without a token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { migrations: { ok: true, pending: 0 }, projections: { ok: true } } });
  });

  it('serves the OpenAPI document and Swagger UI without a token', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().openapi).toMatch(/^3\./);
    expect(Object.keys(doc.json().paths)).toEqual(
      expect.arrayContaining(['/api/v1/towns', '/api/v1/towns/{id}', '/api/v1/projections', '/api/v1/audit/verify']),
    );
    expect((await t.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('hides the details of our own failures (500 without stack or message)', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/test-crash', headers: admin });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).not.toContain('secret');
    expect(response.body).not.toContain('app.ts');
    expect(response.json()).toMatchObject({ type: '/problems/internal', requestId: expect.any(String) });
  });

  it('shows projection status to admins and auditors only', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/towns', headers: admin, payload: { code: 'OPS-1', name: '中城镇' } });
    const status = await t.app.inject({ method: 'GET', url: '/api/v1/projections', headers: bearer(t.token('auditor')) });
    expect(status.statusCode).toBe(200);
    expect(status.json().items).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'geography', mode: 'inline', lag: 0, eventsApplied: 1, lastError: null })]),
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/projections', headers: bearer(t.token('village_worker')) })).statusCode).toBe(403);
  });

  it('rebuilds a projection on an admin request, leaving the same read model', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: admin })).json();
    const rebuild = await t.app.inject({ method: 'POST', url: '/api/v1/projections/geography/rebuild', headers: admin });
    expect(rebuild.statusCode).toBe(202);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: admin })).json()).toEqual(before);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/projections/nope/rebuild', headers: admin })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/projections/geography/rebuild', headers: bearer(t.token('auditor')) })).statusCode).toBe(403);
  });

  it('rebuilds several projections, or all of them, on an admin request, leaving the same read models', async () => {
    const towns = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: admin })).json();
    const before = await towns();
    // Emptied first: what the list shows after comes from the rebuild.
    await sql`delete from rm_towns`.execute(t.service.deps.database.db);
    expect((await towns()).items).toEqual([]);
    const some = await t.app.inject({ method: 'POST', url: '/api/v1/projections/rebuild', headers: admin, payload: { names: ['visits', 'geography'] } });
    expect(some.statusCode, some.body).toBe(202);
    // In the registry's order, which is the order they are built in.
    expect(some.json()).toEqual({ names: ['geography', 'visits'], state: 'rebuilding' });
    expect(await towns()).toEqual(before);

    const all = await t.app.inject({ method: 'POST', url: '/api/v1/projections/rebuild', headers: admin });
    expect(all.statusCode, all.body).toBe(202);
    expect(all.json().names).toEqual(t.service.deps.projections.names);
    expect(await towns()).toEqual(before);

    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/projections/rebuild', headers: admin, payload: { names: ['geography', 'nope'] } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    for (const payload of [{ names: [] }, { names: ['geography'], extra: true }, { names: 'geography' }]) {
      const bad = await t.app.inject({ method: 'POST', url: '/api/v1/projections/rebuild', headers: admin, payload });
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
      expect(bad.json().title).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/projections/rebuild', headers: bearer(t.token('auditor')) })).statusCode).toBe(403);
  });

  it('verifies the hash chains for auditors, and reports an event edited with SQL', async () => {
    const auditor = bearer(t.token('auditor'));
    const clean = await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: auditor });
    expect(clean.statusCode).toBe(200);
    expect(clean.json()).toMatchObject({ ok: true, broken: [] });
    expect(clean.json().eventsChecked).toBeGreaterThan(0);

    const town = (await t.app.inject({ method: 'POST', url: '/api/v1/towns', headers: admin, payload: { code: 'TAMPER-1', name: '南岸镇' } })).json();
    await asDba(
      t.database.db,
      sql`update es_events set data_jcs = jsonb_set(data_jcs::jsonb, '{name}', '"改过的名字"')::text where stream_id = ${`town-${town.id}`}`,
    );
    const report = (await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: auditor })).json();
    expect(report.ok).toBe(false);
    expect(report.broken).toEqual([expect.objectContaining({ streamId: `town-${town.id}`, version: 1, reason: expect.stringContaining('altered') })]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: bearer(t.token('town_worker')) })).statusCode).toBe(403);
  });
});

describe('RS256 tokens from a configured public key', () => {
  let t: TestApp;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  beforeAll(async () => {
    t = await startTestApp({ backend: 'pglite', env: { JWT_SECRET: '', JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString() } });
  });
  afterAll(async () => t?.close());

  it('accepts a token signed with the private key and refuses an HS256 one', async () => {
    const sign = createSigner({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: 'RS256', expiresIn: 600_000 });
    const ok = await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: bearer(sign({ sub: 'u1', role: 'auditor' })) });
    expect(ok.statusCode).toBe(200);
    const hs = createSigner({ key: 'test-secret-that-is-long-enough-for-hs256!', algorithm: 'HS256', expiresIn: 600_000 });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: bearer(hs({ sub: 'u1', role: 'admin' })) })).statusCode).toBe(401);
  });
});
