import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START } from '../../src/application/event-store';
import { runDemoSeed } from '../../src/demo/seed';
import { allProjections } from '../../src/projections/registry';
import { startTestApp, type TestApp } from '../support/test-app';
import { loadScale } from '../support/load-scale';
import { availableBackends } from '../support/test-database';

/**
 * Issue 20: every projection rebuilt from one pass over the log (`projections:rebuild -- --all`,
 * ProjectionEngine.rebuildAll) gives back the read models the service kept while the tiny demo
 * county was loaded through it, table by table, on both stores.
 */
const SLOW = 300_000 * loadScale();
const backends = await availableBackends();

/** Every read model's rows, each table in a stable order. */
async function readModels(t: TestApp): Promise<Record<string, string[]>> {
  const db = t.service.deps.database.db;
  const tables = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = current_schema() and tablename like 'rm\\_%' order by 1`.execute(db);
  const out: Record<string, string[]> = {};
  for (const { name } of tables.rows)
    out[name] = (await sql<{ r: string }>`select to_jsonb(x)::text as r from ${sql.table(name)} x order by 1`.execute(db)).rows.map((r) => r.r);
  return out;
}

describe.each(backends)('every projection rebuilt in one pass on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ backend });
    await runDemoSeed(t.service, { scale: 'tiny', seed: 'rebuild-all' });
  }, SLOW);
  afterAll(async () => t?.close());

  it(
    "gives back every read model the service kept, emptied first, and each checkpoint counts its projection's events",
    async () => {
      const before = await readModels(t);
      const engine = t.service.deps.projections;
      // Emptied first: what is there after comes from the rebuild, not from before it.
      const owned = allProjections().flatMap((p) => p.tables);
      for (const table of owned) await sql`delete from ${sql.table(table)}`.execute(t.service.deps.database.db);
      expect(Object.values(await readModels(t)).flat().length).toBeLessThan(Object.values(before).flat().length / 10);
      const read: number[] = [];
      await engine.rebuildAll([], { onProgress: (n) => void read.push(n) });
      await engine.catchUp();
      const after = await readModels(t);
      expect(Object.keys(after)).toEqual(Object.keys(before));
      // The schedule's state row says whether its day is built: unbuilt before (nothing read it
      // yet), and gone after, which is unbuilt too, as after the schedule's own rebuild.
      expect(before['rm_schedule_state']).toEqual(['{"id": 1, "as_of": null, "built_at": null, "policy_version": null}']);
      expect(after['rm_schedule_state']).toEqual([]);
      for (const table of Object.keys(before).filter((name) => name !== 'rm_schedule_state'))
        expect({ table, rows: after[table] }).toEqual({ table, rows: before[table] });
      // One pass: each event some projection handles was read once (the sixteen handle 624 of the
      // tiny county's 633 events).
      const handled = [...new Set(allProjections().flatMap((p) => p.handles))];
      expect(read.at(-1)).toBe(await t.service.deps.store.countAfter(START, { types: handled }));
      // Each switch recorded the events it applied.
      const checkpoints = await sql<{ name: string; applied: string }>`select name, events_applied::text as applied from es_checkpoints`.execute(
        t.service.deps.database.db,
      );
      for (const projection of allProjections())
        expect({ name: projection.name, applied: Number(checkpoints.rows.find((c) => c.name === projection.name)?.applied) }).toEqual({
          name: projection.name,
          applied: await t.service.deps.store.countAfter(START, { types: projection.handles }),
        });
    },
    SLOW,
  );
});
