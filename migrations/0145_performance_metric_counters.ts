import { sql, type Kysely } from 'kysely';

/**
 * The score sheet's read model (issue 20): per worker and period the metric counters (met,
 * total, evidence count), the evidence as references (ids and days) in a table of its own that
 * only the drill-down reads, and which of them the events since the last computation made stale.
 * `json`, not `jsonb`: stored and served as written (the explanation's key order), never queried into.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rm_performance_sheets (
      period text primary key,
      as_of date,
      policy_version integer,
      computed_at timestamptz
    )`.execute(db);
  await sql`
    create table rm_performance_worker_metrics (
      period text not null,
      worker_id uuid not null,
      metrics json not null,
      primary key (period, worker_id)
    )`.execute(db);
  await sql`
    create table rm_performance_evidence (
      period text not null,
      worker_id uuid not null,
      metric text not null,
      item_count integer not null,
      evidence json not null,
      primary key (period, worker_id, metric)
    )`.execute(db);
  await sql`
    create table rm_performance_stale (
      period text not null,
      event_id uuid not null,
      worker_id uuid,
      primary key (period, event_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['rm_performance_stale', 'rm_performance_evidence', 'rm_performance_worker_metrics', 'rm_performance_sheets'])
    await sql`drop table ${sql.table(t)}`.execute(db);
}
