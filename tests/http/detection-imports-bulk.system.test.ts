import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScale } from '../support/load-scale';
import { idNumber } from '../support/national-ids';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/**
 * A county-size import through HTTP (system tier: a whole batch of 50,000 rows, about a minute of
 * one core). The import's rules, findings and chunk borders are tested on small batches in
 * detection-imports.api.test.ts; this one only shows that a batch far bigger than a chunk streams
 * through and that every row is accounted for.
 */
describe('data imports through HTTP: a 50,000-row batch', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('streams through and accounts for every row', { timeout: 300_000 * loadScale() }, async () => {
    // 50,000 distinct valid ID numbers: 3,000 birth days × 17 sequence numbers, generated as the body is read
    const birth = (i: number) => new Date(Date.UTC(2010, 0, 1) + (i % 3000) * 86_400_000).toISOString().slice(0, 10);
    const students = Readable.from(
      (function* () {
        yield 'id_number,name,school_status,reported_on\n';
        for (let i = 0; i < 50_000; i++) yield `${idNumber(birth(i), Math.floor(i / 3000))},学生${i},enrolled,2026-02-01\n`;
      })(),
    );
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/data-imports?source=education&batchId=EDU-BULK',
      headers: { ...bearer(t.token('admin')), 'content-type': 'text/csv; charset=utf-8' },
      payload: students,
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ rowCount: 50_000, rowsDone: 50_000, status: 'completed' });
    const report = r.json<{ applied: number; unchanged: number; rejected: number }>();
    expect(report.applied + report.unchanged + report.rejected).toBe(50_000);
    expect(report.rejected).toBe(0);
  });
});
