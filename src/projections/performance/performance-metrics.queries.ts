import { sql, type Kysely } from 'kysely';
import type { Evidence, MetricValue } from '../../domain/performance/metric';
import type { NotApplicable } from '../../domain/performance/not-applicable';
import type { Database } from '../../storage/database';
import { day, json, jsonbArrayPage } from '../row-values';

/** A metric of one worker and period as the sheet reads it: the counts, the evidence left behind. */
export interface MetricCounter {
  key: string;
  met: number;
  total: number;
  notApplicable?: NotApplicable;
  evidenceCount: number;
}

export interface SheetState {
  asOf: string | null;
  policyVersion: number | null;
}

export interface StaleMark {
  eventId: string;
  /** null: every worker. */
  workerId: string | null;
}

/** From now on the performance-metrics projection marks this period's counters stale (idempotent). */
export async function materializePeriod(db: Kysely<Database>, period: string): Promise<void> {
  await db
    .insertInto('rm_performance_sheets')
    .values({ period })
    .onConflict((oc) => oc.column('period').doNothing())
    .execute();
}

/** The periods whose sheet has been read (their counters are kept and marked stale). */
export async function materializedPeriods(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('rm_performance_sheets').select('period').orderBy('period').execute();
  return rows.map((r) => r.period);
}

export async function staleMarks(db: Kysely<Database>, period: string): Promise<StaleMark[]> {
  const rows = await db.selectFrom('rm_performance_stale').select(['event_id', 'worker_id']).where('period', '=', period).execute();
  return rows.map((r) => ({ eventId: r.event_id, workerId: r.worker_id }));
}

/** What a refresh of a period's counters reads first: its sheet's state, the marks, the workers with counters. */
export interface SheetFreshness {
  state: SheetState | null;
  marks: StaleMark[];
  workersWithCounters: Set<string>;
}

/**
 * The sheet's state, its stale marks and the workers with counters of a period, in one statement:
 * every read of the sheet and every drill-down asks all three first (issue 20: at county scale
 * each round trip's socket writes cost the service more than the rows; they were three reads).
 */
export async function sheetFreshness(db: Kysely<Database>, period: string): Promise<SheetFreshness> {
  const r = await sql<{ as_of: unknown; policy_version: unknown; present: boolean; marks: unknown; workers: unknown }>`
    select s.as_of, s.policy_version, s.period is not null as present,
      (select coalesce(json_agg(json_build_array(m.event_id, m.worker_id)), '[]') from rm_performance_stale m where m.period = ${period}) as marks,
      (select coalesce(json_agg(c.worker_id), '[]') from rm_performance_worker_metrics c where c.period = ${period}) as workers
    from (select 1) one left join rm_performance_sheets s on s.period = ${period}`.execute(db);
  const row = r.rows[0]!;
  return {
    state: row.present ? { asOf: day(row.as_of), policyVersion: row.policy_version === null ? null : Number(row.policy_version) } : null,
    marks: json<[string, string | null][]>(row.marks).map(([eventId, workerId]) => ({ eventId, workerId })),
    workersWithCounters: new Set(json<string[]>(row.workers)),
  };
}

export const counterOf = (m: MetricValue): MetricCounter => ({
  key: m.key,
  met: m.met,
  total: m.total,
  ...(m.notApplicable ? { notApplicable: m.notApplicable } : {}),
  evidenceCount: m.evidence.length,
});

/**
 * Stores the counters and evidence of the workers measured, in one transaction with the removal
 * of the marks they answer (only those read before measuring: a mark added meanwhile stays, and
 * the next read measures its worker again). `everyWorker`: the period's rows are replaced whole.
 */
export async function storeCounters(
  db: Kysely<Database>,
  input: {
    period: string;
    asOf: string;
    policyVersion: number;
    measured: ReadonlyMap<string, readonly MetricValue[]>;
    answered: readonly StaleMark[];
    everyWorker: boolean;
  },
): Promise<void> {
  const { period, measured } = input;
  const workerIds = [...measured.keys()];
  await db.transaction().execute(async (trx) => {
    for (const table of ['rm_performance_worker_metrics', 'rm_performance_evidence'] as const) {
      if (input.everyWorker) await trx.deleteFrom(table).where('period', '=', period).execute();
      else if (workerIds.length > 0) await trx.deleteFrom(table).where('period', '=', period).where('worker_id', 'in', workerIds).execute();
    }
    const metricRows = [...measured].map(([workerId, values]) => ({ period, worker_id: workerId, metrics: JSON.stringify(values.map(counterOf)) }));
    for (let i = 0; i < metricRows.length; i += 500)
      await trx
        .insertInto('rm_performance_worker_metrics')
        .values(metricRows.slice(i, i + 500))
        .execute();
    await insertEvidence(
      trx,
      'rm_performance_evidence',
      period,
      [...measured].flatMap(([workerId, values]) => values.map((m) => ({ workerId, metric: m.key, items: m.evidence }))),
    );
    const eventIds = input.answered.map((m) => m.eventId);
    for (let i = 0; i < eventIds.length; i += 5000)
      await trx
        .deleteFrom('rm_performance_stale')
        .where('period', '=', period)
        .where('event_id', 'in', eventIds.slice(i, i + 5000))
        .execute();
    await trx
      .updateTable('rm_performance_sheets')
      .set({ as_of: input.asOf, policy_version: input.policyVersion, computed_at: new Date().toISOString() })
      .where('period', '=', period)
      .execute();
  });
}

/** Every worker's counters of a period (the sheet's whole read: one row per worker). */
export async function counters(db: Kysely<Database>, period: string): Promise<Map<string, MetricCounter[]>> {
  const rows = await db.selectFrom('rm_performance_worker_metrics').select(['worker_id', 'metrics']).where('period', '=', period).execute();
  return new Map(rows.map((r) => [r.worker_id, json<MetricCounter[]>(r.metrics)]));
}

/** One worker's evidence for every metric of a period (the explanation of one worker): the live read model's, or a publication's. */
export async function workerEvidence(
  db: Kysely<Database>,
  period: string,
  workerId: string,
  table: 'rm_performance_evidence' | 'rm_performance_published_evidence' = 'rm_performance_evidence',
): Promise<Map<string, Evidence[]>> {
  const rows = await db.selectFrom(table).select(['metric', 'evidence']).where('period', '=', period).where('worker_id', '=', workerId).execute();
  return new Map(rows.map((r) => [r.metric, json<Evidence[]>(r.evidence)]));
}

/**
 * Writes evidence lists, one row per worker and metric of a period, to the live table or a
 * publication's. The rows can be large (a worker's month-by-month obligations): a few per statement.
 */
export async function insertEvidence(
  trx: Kysely<Database>,
  table: 'rm_performance_evidence' | 'rm_performance_published_evidence',
  period: string,
  lists: readonly { workerId: string; metric: string; items: readonly unknown[] }[],
): Promise<void> {
  const rows = lists.map((l) => ({ period, worker_id: l.workerId, metric: l.metric, item_count: l.items.length, evidence: JSON.stringify(l.items) }));
  for (let i = 0; i < rows.length; i += 50)
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + 50))
      .execute();
}

/** A page of evidence: the items from an offset, and how many there are in all. */
export interface EvidenceSlice {
  total: number;
  items: Evidence[];
}

/**
 * Items `from` to `from + limit` of one metric's evidence of one worker and period, cut in the
 * database (a worker's visits of a half year are about 1,200 facts, 212 KB), or null when none is stored.
 */
export async function metricEvidencePage(
  db: Kysely<Database>,
  key: { period: string; workerId: string; metric: string },
  from: number,
  limit: number,
): Promise<EvidenceSlice | null> {
  const r = await db
    .selectFrom('rm_performance_evidence')
    .select(['item_count', jsonbArrayPage('evidence', from, limit).as('page')])
    .where('period', '=', key.period)
    .where('worker_id', '=', key.workerId)
    .where('metric', '=', key.metric)
    .executeTakeFirst();
  return r ? { total: Number(r.item_count), items: json<Evidence[]>(r.page) } : null;
}
