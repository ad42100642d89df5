import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_WRITE_ROUTES } from '../../src/http/bulk-write-statistics';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { availableBackends } from '../support/test-database';
import { eventually } from '../support/wait';

/** Issue 20: an import leaves the planner fresh statistics of what it wrote, after the reply. */
describe.each(await availableBackends())('planner statistics after an import on %s', (backend) => {
  let t: TestApp;
  const importRows = (rows: object[]) => t.app.inject({ method: 'POST', url: '/api/v1/geography/import', headers: bearer(t.token('admin')), payload: rows });
  const statistics = () => t.service.deps.projections.statistics;
  const db = () => t.service.deps.database.db;

  /** PostgreSQL records when a table was last analyzed; PGlite's statistics show in pg_stats. */
  const analyzed = async (table: string): Promise<boolean> => {
    if (backend === 'postgres') {
      const { rows } = await sql<{ at: Date | null }>`
        select last_analyze as at from pg_stat_user_tables where relname = ${table} and schemaname = current_schema()`.execute(db());
      return rows[0]?.at != null;
    }
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stats where tablename = ${table} and schemaname = current_schema()`.execute(
      db(),
    );
    return rows[0]!.n > 0;
  };
  /** The planner's row count of a table, which only ANALYZE (or VACUUM) moves. */
  const plannedRows = async (table: string): Promise<number> => {
    const { rows } = await sql<{ n: number }>`select reltuples::int as n from pg_class where oid = to_regclass(${table})`.execute(db());
    return rows[0]!.n;
  };

  beforeAll(async () => {
    t = await startTestApp({ backend });
  }, 120_000);
  afterAll(async () => t?.close());

  it('watches imports that exist (a renamed route would silently lose its ANALYZE)', () => {
    expect(BULK_WRITE_ROUTES.size).toBe(3);
    for (const url of BULK_WRITE_ROUTES) expect(t.app.hasRoute({ method: 'POST', url }), url).toBe(true);
  });

  it('ANALYZEs once the import has answered, so the touched read model has statistics', async () => {
    expect(await analyzed('rm_groups')).toBe(false);
    const response = await importRows([
      { kind: 'town', code: '530626100', name: '中城镇' },
      { kind: 'village', code: '530626100201', name: '回望村', parentCode: '530626100' },
      { kind: 'group', code: '530626100201001', name: '一组', parentCode: '530626100201' },
      { kind: 'group', code: '530626100201002', name: '二组', parentCode: '530626100201' },
    ]);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ applied: number }>().applied).toBe(4);
    await statistics().settled();
    expect(statistics().runs).toBe(1);
    // PostgreSQL publishes a backend's activity statistics a moment after its transaction.
    await eventually(async () => expect(await analyzed('rm_groups')).toBe(true));
    expect(await plannedRows('rm_groups')).toBe(2);
  });

  it('does not ANALYZE again for an import straight after (throttled), nor for a refused one', async () => {
    const again = await importRows([{ kind: 'group', code: '530626100201003', name: '三组', parentCode: '530626100201' }]);
    expect(again.statusCode, again.body).toBe(200);
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/geography/import', headers: bearer(t.token('town_worker')), payload: [] });
    expect(refused.statusCode).toBe(403);
    await statistics().settled();
    expect(statistics().runs).toBe(1);
    expect(await plannedRows('rm_groups')).toBe(2);
  });

  it('ANALYZEs the tables of a projection after its rebuild', async () => {
    const before = statistics().runs;
    await t.service.deps.projections.rebuild('geography');
    await statistics().settled();
    expect(statistics().runs).toBe(before + 1);
    // The third group came after the last ANALYZE; the rebuild's ANALYZE counts it.
    expect(await plannedRows('rm_groups')).toBe(3);
  });
});
