import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

const CSV = `\uFEFFkind,code,name,parent_code,village_kind
group,530626100201001,回望村一组,530626100201,
town,530626100,中城镇,,
village,530626100201,回望村,530626100,village
village,530626100001,福兴社区,530626100,community
group,530626100201002,,530626100201,
group,530626199999001,孤儿组,530626199999,
village,bad code!,坏村,530626100,
`;

describe('geography bulk import', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(t.token('admin'));
  });
  afterAll(async () => t?.close());

  const importCsv = (body: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/geography/import', headers: { ...admin, 'content-type': 'text/csv; charset=utf-8' }, payload: body });

  it('applies valid CSV rows parents first, and reports each invalid row with its number, field and reason', async () => {
    const response = await importCsv(CSV);
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.applied).toBe(4);
    expect(report.results.map((r: any) => [r.row, r.kind, r.outcome])).toEqual([
      [2, 'town', 'created'],
      [3, 'village', 'created'],
      [4, 'village', 'created'],
      [1, 'group', 'created'],
    ]);
    expect(report.rejected).toEqual([
      { row: 5, field: 'name', message: expect.any(String) },
      { row: 6, field: 'parentCode', message: expect.stringContaining('not found') },
      { row: 7, field: 'code', message: expect.any(String) },
    ]);
    const villages = (await t.app.inject({ method: 'GET', url: '/api/v1/villages', headers: admin })).json();
    expect(villages.items.map((v: any) => v.name)).toEqual(['福兴社区', '回望村']);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = Number((await sql<{ n: string }>`select count(*) as n from es_events`.execute(t.database.db)).rows[0]!.n);
    const report = (await importCsv(CSV)).json();
    expect(report).toMatchObject({ applied: 0, unchanged: 4 });
    expect(report.rejected).toHaveLength(3);
    const after = Number((await sql<{ n: string }>`select count(*) as n from es_events`.execute(t.database.db)).rows[0]!.n);
    expect(after).toBe(before);
  });

  it('accepts a JSON array, renaming a unit whose name changed', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/geography/import',
      headers: admin,
      payload: [
        { kind: 'town', code: '530626100', name: '中城镇（更名）' },
        { kind: 'mountain', code: 'x', name: 'y' },
      ],
    });
    expect(response.json()).toMatchObject({ applied: 1, results: [{ outcome: 'renamed' }], rejected: [{ row: 2, field: 'kind' }] });
  });

  it('is for admins only', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/geography/import', headers: bearer(t.token('town_worker')), payload: [] });
    expect(response.statusCode).toBe(403);
  });
});
