import { sql, type Kysely } from 'kysely';

/**
 * Worker performance: scoring policy versions, the committee's assessments (every revision
 * kept), outcomes, and published scores. Live scores are computed when asked, from the
 * workforce, visit and case read models, so they are never stale.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table rm_scoring_policies (version integer primary key, effective_from date not null, body jsonb not null, recorded_at timestamptz not null)`.execute(
    db,
  );
  await sql`
    create table rm_assessments (
      id uuid primary key,
      event_id uuid not null,
      worker_id uuid not null,
      period text not null,
      revision integer not null,
      scores jsonb not null,
      comments jsonb not null,
      correction_reason text,
      assessed_by text not null,
      recorded_at timestamptz not null,
      unique (worker_id, period, revision)
    )`.execute(db);
  await sql`
    create table rm_performance_outcomes (
      id uuid primary key,
      event_id uuid not null,
      worker_id uuid not null,
      period text not null,
      outcome text not null,
      note text not null,
      decided_by text not null,
      recorded_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_performance_outcomes_period on rm_performance_outcomes (period, worker_id)`.execute(db);
  // The latest publication per period wins; earlier revisions stay in the event stream.
  await sql`
    create table rm_performance_publications (
      period text primary key,
      revision integer not null,
      event_id uuid not null,
      policy_version integer not null,
      as_of date not null,
      scores jsonb not null,
      published_by text not null,
      published_at timestamptz not null
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['rm_performance_publications', 'rm_performance_outcomes', 'rm_assessments', 'rm_scoring_policies'])
    await sql`drop table ${sql.table(t)}`.execute(db);
}
