import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing } from '../../src/observability/tracing';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { eventually } from '../support/wait';

describe('OpenTelemetry tracing (OTEL_TRACING=true)', () => {
  const exporter = new InMemorySpanExporter();
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ overrides: { tracing: await startTracing({ exporter }) } });
  });
  afterAll(async () => t?.close());

  it('records a span per request with its route template and status, and no query string', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/towns?limit=5&cursor=%E5%BC%A0%E4%B8%89', headers: bearer(t.token('admin')) });
    expect(response.statusCode).toBeLessThan(500);
    const span = await eventually(() => {
      const found = exporter
        .getFinishedSpans()
        .find((s) => s.attributes['http.route'] === '/api/v1/towns' && s.attributes['http.response.status_code'] !== undefined);
      if (!found) throw new Error('no request span yet');
      return found;
    });
    expect(span.attributes).toMatchObject({ 'http.request.method': 'GET', 'url.path': '/api/v1/towns', 'http.response.status_code': response.statusCode });
    expect(JSON.stringify(exporter.getFinishedSpans().map((s) => s.attributes))).not.toContain('cursor');
  });

  it('is off unless OTEL_TRACING=true', async () => {
    const { loadConfig } = await import('../../src/config');
    expect(loadConfig({}).OTEL_TRACING).toBe(false);
    expect(loadConfig({ OTEL_TRACING: 'true' }).OTEL_TRACING).toBe(true);
  });
});
