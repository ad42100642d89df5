import { readFileSync } from 'node:fs';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index';
import { metricOf } from '../../src/domain/performance/metric';
import { splitPublishedScore } from '../../src/domain/performance/published-sheet';
import { scoreWorkers } from '../../src/domain/performance/scoring';
import { ScoringPolicySchema } from '../../src/domain/performance/scoring-policy';
import { migrateToLatest } from '../../src/storage/migrate';
import { openPostgres } from '../../src/storage/postgres-database';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { availableBackends, newTestSchema, openEmptyPGlite, postgresUrl } from '../support/test-database';

const BEFORE = '0185_member_name_index_without_pending_list';
const policy = ScoringPolicySchema.parse(JSON.parse(readFileSync(new URL('../../policies/scoring-policy.default.json', import.meta.url), 'utf8')));
const W1 = '00000000-0000-4000-8000-0000000000c1';
const W2 = '00000000-0000-4000-8000-0000000000c2';
const W3 = '00000000-0000-4000-8000-0000000000c3';
const visits = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    kind: 'group_monthly_visit',
    id: `g-${i}`,
    date: `2023-0${1 + (i % 6)}`,
    met: i % 3 !== 0,
    by: { id: `v-${i}`, date: '2023-01-02' },
  }));
/** Scores as `compute` publishes them (with notes, dimensions, ranks), and an open record without metrics. */
const computed = scoreWorkers(policy, [
  {
    worker: { workerId: W1, name: '村社工甲', level: 'village', townId: 't-1' },
    metrics: [metricOf('visits_done', visits(7)), metricOf('training_attended', [])],
    assessment: { assessmentId: 'a-1', revision: 1, scores: { discipline: 9000, attitude: 9500, knowledge: 8000 } },
  },
  { worker: { workerId: W2, name: '镇社工乙', level: 'town', townId: 't-1' }, metrics: [metricOf('visits_done', visits(2))], assessment: null },
]);
const scores: Record<string, unknown>[] = [...(computed as unknown as Record<string, unknown>[]), { workerId: W3, total: null }];

async function openBackend(backend: string): Promise<SqlDatabase> {
  if (backend === 'pglite') return openEmptyPGlite();
  return openPostgres({ connectionString: (await postgresUrl())!, schema: newTestSchema(), poolSize: 2 });
}

describe.each(await availableBackends())('migration 0190 on %s: publications already projected are split as the projection splits new ones', (backend) => {
  it('given publications with their whole scores, writes each sheet with counts and each worker’s evidence by metric, and drops the scores', async () => {
    const database = await openBackend(backend);
    try {
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations }, migrationTableSchema: database.schema });
      expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
      for (const [period, list] of [
        ['2023-H1', scores],
        ['2023-H2', []],
      ] as const)
        await sql`insert into rm_performance_publications (period, revision, event_id, policy_version, as_of, scores, published_by, published_at)
          values (${period}, 2, gen_random_uuid(), 1, '2023-07-14', ${JSON.stringify(list)}::jsonb, 'evaluator-1', now())`.execute(database.db);

      await migrateToLatest(database);

      const sheets = await sql<{ period: string; sheet: unknown }>`select period, sheet from rm_performance_publications order by period`.execute(database.db);
      expect(sheets.rows).toEqual([
        { period: '2023-H1', sheet: JSON.parse(JSON.stringify(scores.map((s) => splitPublishedScore(s).sheet))) as unknown },
        { period: '2023-H2', sheet: [] },
      ]);
      const evidence = await sql<{ worker_id: string; metric: string; item_count: number; evidence: unknown }>`
        select worker_id, metric, item_count, evidence from rm_performance_published_evidence where period = '2023-H1' order by worker_id, metric`.execute(
        database.db,
      );
      const expected = scores
        .flatMap((s) =>
          splitPublishedScore(s).evidence.map((e) => ({ worker_id: String(s.workerId), metric: e.metric, item_count: e.items.length, evidence: e.items })),
        )
        .sort((a, b) => `${a.worker_id} ${a.metric}`.localeCompare(`${b.worker_id} ${b.metric}`));
      expect(evidence.rows).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(expected.find((e) => e.worker_id === W1 && e.metric === 'visits_done')?.item_count).toBe(7);
      const columns = await sql<{ column_name: string }>`
        select column_name from information_schema.columns where table_schema = ${database.schema} and table_name = 'rm_performance_publications'`.execute(
        database.db,
      );
      expect(columns.rows.map((c) => c.column_name)).not.toContain('scores');
    } finally {
      await database.close();
    }
  });
});
