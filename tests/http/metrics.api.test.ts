import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

const METRICS_TOKEN = 'scraper-token-0123456789';

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN } });
    admin = bearer(t.token('admin'));
  });
  afterAll(async () => t?.close());

  const scrape = (headers: Record<string, string> = admin) => t.app.inject({ method: 'GET', url: '/metrics', headers });

  it('is refused without a token (401), to other roles (403) and to a wrong static token', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    expect((await scrape(bearer(t.token('auditor')))).statusCode).toBe(403);
    expect((await scrape(bearer('scraper-token-wrong-one'))).statusCode).toBe(401);
    // Requests refused before any handler (by the auth hook) are counted and timed too.
    const body = (await scrape()).body;
    const sum = /sws_http_request_duration_seconds_sum\{method="GET",route="\/metrics",status="401"\} ([0-9.e-]+)/.exec(body);
    expect(sum).not.toBeNull();
    expect(Number(sum![1])).toBeLessThan(60);
  });

  it('answers the scraper token and admins in the Prometheus text format', async () => {
    const byToken = await scrape(bearer(METRICS_TOKEN));
    expect(byToken.statusCode).toBe(200);
    expect(byToken.headers['content-type']).toContain('text/plain');
    expect((await scrape()).statusCode).toBe(200);
  });

  it('counts requests by route template and status, never by concrete URL', async () => {
    const town = await t.app.inject({ method: 'POST', url: '/api/v1/towns', headers: admin, payload: { code: '530626188', name: '度量镇' } });
    expect(town.statusCode).toBe(201);
    const id = town.json().id;
    await t.app.inject({ method: 'GET', url: `/api/v1/towns/${id}`, headers: admin });
    await t.app.inject({ method: 'GET', url: '/no/such/route', headers: admin });

    const body = (await scrape()).body;
    expect(body).toMatch(/sws_http_requests_total\{method="POST",route="\/api\/v1\/towns",status="201"\} 1/);
    expect(body).toMatch(/sws_http_requests_total\{method="GET",route="\/api\/v1\/towns\/:id",status="200"\} 1/);
    expect(body).toMatch(/sws_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(body).toMatch(/sws_http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/api\/v1\/towns",status="201"\}/);
    expect(body).not.toContain(id);
  });

  it('reports append latency and batch size, conflicts and retries, projections, pool and event-loop delay', async () => {
    const body = (await scrape()).body;
    expect(body).toMatch(/sws_eventstore_append_duration_seconds_count\{outcome="ok"\} [1-9]/);
    expect(body).toMatch(/sws_eventstore_append_batch_size_count [1-9]/);
    expect(body).toContain('sws_command_conflicts_total 0');
    expect(body).toContain('# TYPE sws_command_retries_total counter');
    expect(body).toMatch(/sws_projection_lag_events\{projection="geography",mode="inline"\} 0/);
    expect(body).toContain('# TYPE sws_projection_last_progress_timestamp_seconds gauge');
    expect(body).toContain('# TYPE sws_projection_stalled gauge');
    expect(body).toContain('nodejs_eventloop_lag_p99_seconds');
    if (t.database.backend === 'postgres') expect(body).toMatch(/sws_db_pool_max 8/);
  });
});

describe('METRICS_ACCESS', () => {
  it('public: no token needed (a scrape network you trust); off: no endpoint', async () => {
    const open = await startTestApp({ env: { METRICS_ACCESS: 'public' } });
    try {
      expect((await open.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    } finally {
      await open.close();
    }
    const off = await startTestApp({ env: { METRICS_ACCESS: 'off' } });
    try {
      expect((await off.app.inject({ method: 'GET', url: '/metrics', headers: bearer(off.token('admin')) })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
