import { parse } from 'csv-parse/sync';
import { createSigner } from 'fast-jwt';
import { sql } from 'kysely';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/application/pagination';
import { deleteExpiredReplies } from '../../src/http/plugins/idempotency';
import { createLogger } from '../../src/logger';
import { availableBackends } from '../support/test-database';
import { idNumber } from '../support/national-ids';
import { bearer, startTestApp, TEST_SECRET, type TestApp } from '../support/test-app';

/** Issue 13, the HTTP edge: logs, idempotency, tokens, input, limits, headers, role before body. */

const json = (headers: Record<string, string>) => ({ ...headers, 'content-type': 'application/json' });

describe('logs carry no personal data (finding 3)', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    t = await startTestApp({ logger: createLogger('info', sink) });
  });
  afterAll(async () => t?.close());

  it('redacts ID numbers and names from query strings, and never logs a token sent in the query', async () => {
    const admin = bearer(t.token('admin', 'bureau-1'));
    await t.app.inject({ method: 'GET', url: '/api/v1/households?idNumber=530626199001011234&name=%E5%BC%A0%E4%B8%89&limit=5', headers: admin });
    await t.app.inject({ method: 'GET', url: '/api/v1/towns?token=eyJhbGciOiJIUzI1NiJ9.secret.sig&phone=13800001111' });
    const text = lines.join('');
    for (const secret of ['530626199001011234', '张三', '%E5%BC%A0', 'eyJhbGciOiJIUzI1NiJ9', '13800001111']) expect(text).not.toContain(secret);
    expect(text).toContain('limit=5');
  });

  it('names the actor (sub and role) in the access log', async () => {
    await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: bearer(t.token('auditor', 'auditor-77')) });
    const line = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request completed' && l.actor?.sub === 'auditor-77');
    expect(line).toMatchObject({ actor: { sub: 'auditor-77', role: 'auditor' }, res: { statusCode: 200 }, req: { method: 'GET', url: '/api/v1/towns' } });
    expect(JSON.stringify(line)).not.toMatch(/authorization|Bearer/i);
  });

  it('replaces an x-request-id that is long or not an identifier, and keeps it out of the events', async () => {
    const long = 'a'.repeat(8192);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/towns',
      headers: { ...json(bearer(t.token('admin'))), 'x-request-id': long, 'x-correlation-id': 'x'.repeat(99) + ' 张三' },
      payload: { code: '530626190', name: '请求号镇' },
    });
    expect(r.statusCode).toBe(201);
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const [event] = await t.service.deps.store.readStream(`town-${r.json().id}`);
    expect(event!.metadata.correlationId).toBe(r.headers['x-request-id']);
    expect(lines.join('')).not.toContain('a'.repeat(100));

    const ok = await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: { ...bearer(t.token('admin')), 'x-request-id': 'trace-42.a:b' } });
    expect(ok.headers['x-request-id']).toBe('trace-42.a:b');
  });

  it('a NUL byte in a field is a 400 at the edge, so no database error (with its payload) is ever logged', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/towns',
      headers: json(bearer(t.token('admin'))),
      payload: '{"code":"530626191","name":"镇\\u0000 530626199001011234"}',
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const text = lines.join('');
    expect(text).not.toContain('530626199001011234');
    expect(text).not.toContain('unhandled error');
  });
});

describe('JWT times (finding 7)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());
  const now = () => Math.floor(Date.now() / 1000);
  const get = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: bearer(token) });
  const sign = (claims: Record<string, unknown>) =>
    createSigner({ key: TEST_SECRET, algorithm: 'HS256', noTimestamp: true })({ sub: 'u1', role: 'admin', ...claims });

  it('accepts a token with an exp inside the maximum lifetime', async () => {
    expect((await get(sign({ iat: now(), exp: now() + 3600 }))).statusCode).toBe(200);
  });
  it('refuses a token without exp', async () => {
    const r = await get(sign({ iat: now() }));
    expect(r.statusCode).toBe(401);
    expect(r.json().type).toBe('/problems/unauthenticated');
  });
  it('refuses a token that lives longer than the maximum (one day by default)', async () => {
    expect((await get(sign({ iat: now(), exp: now() + 2 * 86_400 }))).statusCode).toBe(401);
    expect((await get(sign({ exp: now() + 2 * 86_400 }))).statusCode).toBe(401);
  });
  it('refuses iat or nbf in the future beyond the small leeway, and accepts a few seconds of skew', async () => {
    expect((await get(sign({ iat: now() + 86_400, exp: now() + 86_400 + 600 }))).statusCode).toBe(401);
    expect((await get(sign({ iat: now(), nbf: now() + 600, exp: now() + 1200 }))).statusCode).toBe(401);
    expect((await get(sign({ iat: now() + 5, exp: now() + 600 }))).statusCode).toBe(200);
  });
  it('refuses an expired token', async () => {
    expect((await get(sign({ iat: now() - 7200, exp: now() - 3600 }))).statusCode).toBe(401);
  });
});

describe('no 5xx from input (finding 8) and role before body', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(t.token('admin'));
  });
  afterAll(async () => t?.close());

  it('answers 400 to forged cursors on list endpoints', async () => {
    const forged = [
      encodeCursor({ id: 'not-a-uuid' }),
      encodeCursor({ code: { $gt: 1 } }),
      encodeCursor({ appliedOn: '2023-99-99', id: '00000000-0000-4000-8000-000000000000' }),
      encodeCursor({ startedAt: 'yesterday', id: '00000000-0000-4000-8000-000000000000' }),
      encodeCursor({ unknown: 1 }),
      Buffer.from('[1,2]').toString('base64url'),
      '%%%',
    ];
    const lists = [
      '/api/v1/towns',
      '/api/v1/villages',
      '/api/v1/groups',
      '/api/v1/workers',
      '/api/v1/households',
      '/api/v1/cases',
      '/api/v1/decisions',
      '/api/v1/visits',
      '/api/v1/volunteers',
      '/api/v1/volunteer-teams',
      '/api/v1/service-records',
      '/api/v1/projects',
      '/api/v1/donations',
      '/api/v1/data-imports',
      '/api/v1/findings',
      '/api/v1/tasks',
      '/api/v1/stations',
      '/api/v1/training-sessions',
    ];
    for (const url of lists) {
      for (const cursor of forged) {
        const r = await t.app.inject({ method: 'GET', url: `${url}?cursor=${encodeURIComponent(cursor)}`, headers: admin });
        expect(r.statusCode, `${url} ${cursor}`).toBeLessThan(500);
        if (r.statusCode !== 404) expect(r.statusCode, `${url} ${cursor}`).toBe(400);
      }
    }
  });

  it('refuses NUL characters and lone surrogates in bodies, queries and keys with 400', async () => {
    const post = (payload: string) => t.app.inject({ method: 'POST', url: '/api/v1/towns', headers: json(admin), payload });
    for (const payload of [
      '{"code":"530626192","name":"a\\u0000b"}',
      '{"code":"530626192","name":"a\\ud800b"}',
      '{"code":"530626192","name":"\\udc00"}',
      '{"code":"530626192","name":"x","\\u0000":1}',
    ]) {
      const r = await post(payload);
      expect(r.statusCode, payload).toBe(400);
      expect(r.json().type).toBe('/problems/validation');
    }
    // A real surrogate pair (a supplementary-plane character in a name) is fine.
    expect((await post('{"code":"530626193","name":"𠮷野镇"}')).statusCode).toBe(201);
    const exported = await t.app.inject({ method: 'GET', url: '/api/v1/decisions/export?format=csv&decidedBy=x%00y', headers: bearer(t.token('auditor')) });
    expect(exported.statusCode).toBe(400);
    expect(exported.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses JSON nested deeper than the limit with 400, Idempotency-Key or not', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const extra of [{}, { 'idempotency-key': 'deep-1' }]) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/towns', headers: { ...json(admin), ...extra }, payload: deep });
      expect(r.statusCode).toBe(400);
      expect(r.json().detail).toMatch(/嵌套/);
    }
  });

  it('GET /performance?period=0000 is a 400 that says what a period looks like', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/performance?period=0000', headers: admin });
    expect(r.statusCode).toBe(400);
    expect(JSON.stringify(r.json().errors)).toMatch(/2023-H1/);
    expect(r.body).not.toMatch(/NaN/);
  });

  it('performance.csv carries a name starting with = as text, not as a formula', async () => {
    const post = async (url: string, payload: unknown) =>
      (await t.app.inject({ method: 'POST', url, headers: json(admin), payload: payload as object })).json().id as string;
    const town = await post('/api/v1/towns', { code: '530626170', name: '公式镇' });
    const village = await post('/api/v1/villages', { townId: town, code: '530626170201', name: '公式村' });
    const worker = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workers',
      headers: json(admin),
      payload: {
        name: '=HYPERLINK("http://x","点")',
        level: 'village',
        phone: '13900000001',
        idNumber: idNumber('1985-03-03', 41),
        hireDate: '2025-01-01',
        posting: { villageId: village },
      },
    });
    expect(worker.statusCode).toBe(201);
    const csv = await t.app.inject({ method: 'GET', url: '/api/v1/performance.csv?period=2026-Q1', headers: admin });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(`"'=HYPERLINK(""http://x"",""点"")"`);
    expect(csv.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
    // Read back as a spreadsheet would: the name is one cell, text that starts with an apostrophe.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- csv-parse's typed overload demands `columns`
    const records = parse(csv.body.replace(/^\uFEFF/, '')) as string[][];
    const nameColumn = records[0]!.indexOf('姓名');
    expect(records.slice(1).map((r) => r[nameColumn])).toContain(`'=HYPERLINK("http://x","点")`);
  });

  it('role before body: a role that may never use the route gets 403, not a schema error', async () => {
    const cases: [string, string, string][] = [
      ['village_worker', 'POST', '/api/v1/assessments'],
      ['town_worker', 'POST', '/api/v1/towns'],
      ['auditor', 'POST', '/api/v1/households'],
      ['evaluator', 'POST', '/api/v1/cases'],
      ['county_worker', 'POST', '/api/v1/policies'],
      ['village_worker', 'GET', '/api/v1/audit/verify'],
    ];
    for (const [role, method, url] of cases) {
      const r = await t.app.inject({
        method: method as 'GET' | 'POST',
        url,
        headers: json(bearer(t.token(role as never))),
        ...(method === 'POST' ? { payload: {} } : {}),
      });
      expect(r.statusCode, `${role} ${method} ${url}`).toBe(403);
      expect(r.json().type).toBe('/problems/forbidden');
    }
    // The roles that may use the route still get the schema's 400.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/assessments', headers: json(bearer(t.token('evaluator'))), payload: {} })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/towns', headers: json(admin), payload: {} })).statusCode).toBe(400);
  });

  it('sends security headers, and Cache-Control: no-store on the API', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: admin });
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['strict-transport-security']).toBeDefined();
    // Without CORS_ORIGINS, no browser origin is allowed.
    const cross = await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: { ...admin, origin: 'https://evil.example' } });
    expect(cross.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('an export that fails after its first byte ends as a broken download, not a complete-looking file', async () => {
    const server = await startTestApp({
      beforeReady: (app) =>
        app.get('/api/v1/test-broken-export', async (_request, reply) => {
          async function* lines() {
            yield 'a,b\n';
            await new Promise((r) => setTimeout(r, 20));
            throw new Error('the database went away');
          }
          return reply.type('text/csv').send(Readable.from(lines()));
        }),
    });
    try {
      const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
      const response = await fetch(`${address}/api/v1/test-broken-export`, { headers: bearer(server.token('admin')) });
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
    } finally {
      server.app.server.closeAllConnections();
      await server.close();
    }
  }, 120_000);
});

describe('rate limits, CORS and proxies (finding 9)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        RATE_LIMIT_PER_SUB: '5',
        RATE_LIMIT_HEAVY_PER_SUB: '2',
        RATE_LIMIT_PER_IP: '40',
        CORS_ORIGINS: 'https://console.example.gov.cn',
        TRUST_PROXY: 'true',
      },
    });
  });
  afterAll(async () => t?.close());
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });

  it('limits each subject, with 429, Retry-After and a problem body; another subject is not affected', async () => {
    const a = { ...bearer(t.token('admin', 'rl-a')), 'x-forwarded-for': '10.0.0.1' };
    for (let i = 0; i < 5; i++) expect((await get('/api/v1/towns', a)).statusCode).toBe(200);
    const refused = await get('/api/v1/towns', a);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ type: '/problems/rate-limited', status: 429 });
    expect((await get('/api/v1/towns', { ...bearer(t.token('admin', 'rl-b')), 'x-forwarded-for': '10.0.0.1' })).statusCode).toBe(200);
  });

  it('is stricter on /audit/*, exports and imports', async () => {
    const auditor = { ...bearer(t.token('auditor', 'rl-c')), 'x-forwarded-for': '10.0.0.2' };
    expect((await get('/api/v1/audit/verify', auditor)).statusCode).toBe(200);
    expect((await get('/api/v1/audit/verify', auditor)).statusCode).toBe(200);
    expect((await get('/api/v1/audit/verify', auditor)).statusCode).toBe(429);
  });

  it('limits each client IP (taken from X-Forwarded-For when the proxy is trusted), before authentication', async () => {
    let status = 0;
    for (let i = 0; i < 41; i++) status = (await get('/api/v1/towns', { 'x-forwarded-for': '192.0.2.9' })).statusCode;
    expect(status).toBe(429);
    expect((await get('/api/v1/towns', { 'x-forwarded-for': '192.0.2.10' })).statusCode).toBe(401);
  });

  it('answers a CORS pre-flight from an allowed origin without a token, and no other origin', async () => {
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/towns',
      headers: {
        origin: 'https://console.example.gov.cn',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
        'x-forwarded-for': '10.0.0.3',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://console.example.gov.cn');
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    const other = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/towns',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'x-forwarded-for': '10.0.0.3' },
    });
    expect(other.statusCode).not.toBe(401);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('heavy auditor work is bounded per process (finding 9)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('runs one verify at a time; a second gets 429 busy with Retry-After, and /health still answers', async () => {
    const store = t.service.deps.store as { verify: (...args: unknown[]) => Promise<unknown> };
    const original = store.verify.bind(store);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    store.verify = async (...args) => {
      await gate;
      return original(...args);
    };
    try {
      const auditor = bearer(t.token('auditor'));
      const first = t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: auditor });
      await new Promise((r) => setTimeout(r, 50));
      const second = await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: bearer(t.token('auditor', 'auditor-2')) });
      expect(second.statusCode).toBe(429);
      expect(second.json().type).toBe('/problems/busy');
      expect(second.headers['retry-after']).toBe('10');
      expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      release();
      expect((await first).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: auditor })).statusCode).toBe(200);
    } finally {
      store.verify = original;
    }
  });
});

describe.each(await availableBackends())('idempotency after authorization (finding 5) on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ backend });
  });
  afterAll(async () => t?.close());
  const post = (url: string, headers: Record<string, string>, payload: unknown) =>
    t.app.inject({ method: 'POST', url, headers: json(headers), payload: payload as object });

  it('another role with the same sub and key never gets the stored reply: it is authorized first', async () => {
    const key = { 'idempotency-key': 'shared-key-1' };
    const first = await post('/api/v1/towns', { ...bearer(t.token('admin', 'same-sub')), ...key }, { code: '530626180', name: '幂等镇' });
    expect(first.statusCode).toBe(201);
    const auditor = await post('/api/v1/towns', { ...bearer(t.token('auditor', 'same-sub')), ...key }, { code: '530626180', name: '幂等镇' });
    expect(auditor.statusCode).toBe(403);
    expect(auditor.headers['idempotent-replayed']).toBeUndefined();
    const replay = await post('/api/v1/towns', { ...bearer(t.token('admin', 'same-sub')), ...key }, { code: '530626180', name: '幂等镇' });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(first.body);
  });

  it('scopes a key to its route: the same key on another route is a new request', async () => {
    const headers = { ...bearer(t.token('admin', 'route-sub')), 'idempotency-key': 'k-route' };
    const town = await post('/api/v1/towns', headers, { code: '530626181', name: '路由镇' });
    expect(town.statusCode).toBe(201);
    const village = await post('/api/v1/villages', headers, { townId: town.json().id, code: '530626181001', name: '路由村' });
    expect(village.headers['idempotent-replayed']).toBeUndefined();
    expect(village.statusCode).toBe(201);
  });

  it('stores only successful replies, as the exact bytes the caller got', async () => {
    const headers = { ...bearer(t.token('admin', 'fail-sub')), 'idempotency-key': 'k-fail' };
    const refused = await post('/api/v1/towns', headers, { code: '530626180', name: '重复镇' });
    expect(refused.statusCode).toBe(422);
    const stored = await sql<{ n: number }>`select count(*)::int as n from http_idempotency where principal = 'fail-sub'`.execute(t.database.db);
    expect(Number(stored.rows[0]!.n)).toBe(0);
    const again = await post('/api/v1/towns', headers, { code: '530626180', name: '重复镇' });
    expect(again.headers['idempotent-replayed']).toBeUndefined();

    const okHeaders = { ...bearer(t.token('admin', 'ok-sub')), 'idempotency-key': 'k-ok' };
    const created = await post('/api/v1/towns', okHeaders, { code: '530626182', name: '存储镇' });
    const row = await sql<{
      body: string;
      role: string;
      route: string;
      method: string;
    }>`select body, role, route, method from http_idempotency where principal = 'ok-sub'`.execute(t.database.db);
    expect(row.rows[0]).toEqual({ body: created.body, role: 'admin', route: '/api/v1/towns', method: 'POST' });
  });

  it('expires stored replies and deletes them', async () => {
    const headers = { ...bearer(t.token('admin', 'exp-sub')), 'idempotency-key': 'k-exp' };
    const created = await post('/api/v1/towns', headers, { code: '530626183', name: '过期镇' });
    expect(created.statusCode).toBe(201);
    await sql`update http_idempotency set expires_at = now() - interval '1 minute' where principal = 'exp-sub'`.execute(t.database.db);
    const after = await post('/api/v1/towns', headers, { code: '530626183', name: '过期镇' });
    expect(after.headers['idempotent-replayed']).toBeUndefined();
    await sql`update http_idempotency set expires_at = now() - interval '1 minute' where principal = 'exp-sub'`.execute(t.database.db);
    expect(await deleteExpiredReplies(t.database.db)).toBeGreaterThanOrEqual(1);
    const left = await sql<{ n: number }>`select count(*)::int as n from http_idempotency where principal = 'exp-sub'`.execute(t.database.db);
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});
