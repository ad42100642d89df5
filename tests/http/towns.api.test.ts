import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

describe('towns API (the thin slice: command → decider → event → inline projection → query)', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(t.token('admin'));
  });
  afterAll(async () => t?.close());

  const register = (body: unknown, headers: Record<string, string> = admin) =>
    t.app.inject({ method: 'POST', url: '/api/v1/towns', headers, payload: body as object });

  it('registers a town and returns it with its location and version', async () => {
    const response = await register({ code: '530626100', name: '中城镇' });
    expect(response.statusCode).toBe(201);
    const town = response.json();
    expect(town).toMatchObject({ code: '530626100', name: '中城镇', status: 'active', version: 1, registeredAt: '2026-03-02T09:00:00.000Z' });
    expect(response.headers.location).toBe(`/api/v1/towns/${town.id}`);
    expect(response.headers.etag).toBe('"1"');

    const read = await t.app.inject({ method: 'GET', url: `/api/v1/towns/${town.id}`, headers: bearer(t.token('auditor')) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(town);
    expect(read.headers.etag).toBe('"1"');
  });

  it('records who did it, with which command, in the event metadata', async () => {
    const response = await register({ code: '530626101', name: '板栗镇' }, { ...bearer(t.token('admin', 'bureau-7')), 'x-correlation-id': 'corr-42' });
    const [event] = await t.service.deps.store.readStream(`town-${response.json().id}`);
    expect(event).toMatchObject({
      type: 'TownRegistered',
      metadata: { actorId: 'bureau-7', actorRole: 'admin', correlationId: 'corr-42', recordedAt: '2026-03-02T09:00:00.000Z', schemaVersion: 1 },
    });
  });

  it('refuses a second town with the same code as a broken rule (422)', async () => {
    await register({ code: '530626102', name: '新滩镇' });
    const again = await register({ code: '530626102', name: '新滩镇 (again)' });
    expect(again.statusCode).toBe(422);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json()).toMatchObject({ type: '/problems/rule/town.already_registered', rule: 'town.already_registered', status: 422 });
  });

  it('answers bad input with 400 naming each field', async () => {
    const response = await register({ code: 'has spaces!', name: '' });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.type).toBe('/problems/validation');
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.code', 'body.name']);
  });

  it('lists towns by code, paginated with a cursor', async () => {
    for (const [code, name] of [
      ['530626103', '会仪镇'],
      ['530626104', '南岸镇'],
    ])
      await register({ code, name });
    const first = await t.app.inject({ method: 'GET', url: '/api/v1/towns?limit=2', headers: admin });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items.map((x: { code: string }) => x.code)).toEqual(['530626100', '530626101']);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const rest = await t.app.inject({ method: 'GET', url: `/api/v1/towns?limit=10&cursor=${page1.nextCursor}`, headers: admin });
    expect(rest.json().items.map((x: { code: string }) => x.code)).toEqual(['530626102', '530626103', '530626104']);
    expect(rest.json().nextCursor).toBeNull();

    expect((await t.app.inject({ method: 'GET', url: '/api/v1/towns?limit=501', headers: admin })).statusCode).toBe(400);
    const badCursor = await t.app.inject({ method: 'GET', url: '/api/v1/towns?cursor=nonsense', headers: admin });
    expect(badCursor.statusCode).toBe(400);
  });

  it('answers an unknown town with 404 and a malformed id with 400', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/towns/00000000-0000-4000-8000-000000000000', headers: admin });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().type).toBe('/problems/not-found');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/towns/not-a-uuid', headers: admin })).statusCode).toBe(400);
  });

  describe('authentication and authorization', () => {
    it('needs a token (401 with WWW-Authenticate)', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/towns' });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.json().type).toBe('/problems/unauthenticated');
    });

    it('refuses a token signed with another key, and one with an unknown role', async () => {
      const forged = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJl';
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: bearer(forged) })).statusCode).toBe(401);
      const oddRole = t.app.jwt.sign({ sub: 'x', role: 'mayor' });
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: bearer(oddRole) })).statusCode).toBe(401);
    });

    it.each(['auditor', 'evaluator', 'village_worker', 'town_worker', 'county_worker'] as const)('refuses %s registering a town (403)', async (role) => {
      const response = await register({ code: `X-${role}`, name: 'x' }, bearer(t.token(role)));
      expect(response.statusCode).toBe(403);
      expect(response.json().type).toBe('/problems/forbidden');
    });
  });

  describe('Idempotency-Key', () => {
    const eventsOf = async (code: string) =>
      Number((await sql<{ n: string }>`select count(*) as n from es_events where data_jcs::jsonb->>'code' = ${code}`.execute(t.database.db)).rows[0]!.n);

    it('replays the stored response for the same key and body, appending nothing', async () => {
      const headers = { ...admin, 'idempotency-key': 'register-zc-1' };
      const first = await register({ code: 'IDEM-1', name: '甲' }, headers);
      const second = await register({ code: 'IDEM-1', name: '甲' }, headers);
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.json()).toEqual(first.json());
      expect(second.headers.etag).toBe(first.headers.etag);
      expect(await eventsOf('IDEM-1')).toBe(1);
    });

    it('appends once when two identical requests race', async () => {
      const headers = { ...admin, 'idempotency-key': 'race-1' };
      const [a, b] = await Promise.all([register({ code: 'IDEM-2', name: '乙' }, headers), register({ code: 'IDEM-2', name: '乙' }, headers)]);
      expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
      expect(await eventsOf('IDEM-2')).toBe(1);
    });

    it('refuses the same key with a different body (422)', async () => {
      const headers = { ...admin, 'idempotency-key': 'register-zc-2' };
      await register({ code: 'IDEM-3', name: '丙' }, headers);
      const other = await register({ code: 'IDEM-4', name: '丁' }, headers);
      expect(other.statusCode).toBe(422);
      expect(other.json().type).toBe('/problems/idempotency-key-reused');
      expect(await eventsOf('IDEM-4')).toBe(0);
    });
  });

  it('refuses a body over the limit with 413', async () => {
    const response = await register({ code: 'BIG', name: 'x'.repeat(1_100_000) });
    expect(response.statusCode).toBe(413);
    expect(response.json().type).toBe('/problems/payload-too-large');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: admin });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
});
