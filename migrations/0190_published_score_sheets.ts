import { sql, type Kysely } from 'kysely';

/**
 * A published period's sheet and its evidence as the reads want them (issue 20). The publication
 * row held every worker's score with all its evidence as one jsonb (12.8 MB for the demo
 * county's first half year), and the sheet of a published period and its drill-down read all of
 * it on every request: the drill-down answered in 6.8 s (p50) at county scale.
 *
 * Now the row holds the sheet (`sheet`: each metric's evidence replaced by `evidenceCount`, as
 * `splitPublishedScore` writes it), and `rm_performance_published_evidence` one row per worker
 * and metric with the evidence list (jsonb), as `rm_performance_evidence` holds the live period's. The
 * publications already projected are split here, by the same rule in SQL; the frozen scores
 * themselves stay in the `ScoresPublished` events, which a rebuild replays.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table rm_performance_publications add column sheet jsonb`.execute(db);
  await sql`
    create table rm_performance_published_evidence (
      period text not null,
      worker_id uuid not null,
      metric text not null,
      item_count integer not null,
      evidence jsonb not null,
      primary key (period, worker_id, metric)
    )`.execute(db);
  await splitPublications(db);
  await sql`alter table rm_performance_publications alter column sheet set not null`.execute(db);
  await sql`alter table rm_performance_publications drop column scores`.execute(db);
  // The live period's evidence as jsonb too: a page is then cut by a jsonpath subscript from the
  // stored value (0.3 ms for 50 of a worker's 1,215 visits) instead of parsing 212 KB of text.
  await sql`alter table rm_performance_evidence alter column evidence type jsonb using evidence::jsonb`.execute(db);
}

/** `splitPublishedScore` over every publication row's `scores` (exported for its test). */
export async function splitPublications(db: Kysely<unknown>): Promise<void> {
  const listed = sql`jsonb_typeof(s.score -> 'metrics') = 'array'`;
  await sql`
    insert into rm_performance_published_evidence (period, worker_id, metric, item_count, evidence)
    select p.period, (s.score ->> 'workerId')::uuid, m.metric ->> 'key',
      coalesce(jsonb_array_length(case when jsonb_typeof(m.metric -> 'evidence') = 'array' then m.metric -> 'evidence' end), 0),
      case when jsonb_typeof(m.metric -> 'evidence') = 'array' then m.metric -> 'evidence' else '[]'::jsonb end
    from rm_performance_publications p
    cross join lateral jsonb_array_elements(p.scores) s(score)
    cross join lateral jsonb_array_elements(case when ${listed} then s.score -> 'metrics' else '[]'::jsonb end) m(metric)
    where jsonb_typeof(m.metric -> 'key') = 'string' and s.score ? 'workerId'`.execute(db);
  await sql`
    update rm_performance_publications p set sheet = coalesce((
      select jsonb_agg(case when ${listed} then s.score || jsonb_build_object('metrics', (
          select coalesce(jsonb_agg(case when jsonb_typeof(m.metric) = 'object'
              then (m.metric - 'evidence') || jsonb_build_object('evidenceCount',
                coalesce(jsonb_array_length(case when jsonb_typeof(m.metric -> 'evidence') = 'array' then m.metric -> 'evidence' end), 0))
              else m.metric end order by m.i), '[]'::jsonb)
          from jsonb_array_elements(s.score -> 'metrics') with ordinality m(metric, i)))
        else s.score end order by s.o)
      from jsonb_array_elements(p.scores) with ordinality s(score, o)), '[]'::jsonb)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table rm_performance_evidence alter column evidence type json using evidence::json`.execute(db);
  // The frozen scores come back from the ScoresPublished events with a rebuild of the performance projection.
  await sql`alter table rm_performance_publications add column scores jsonb not null default '[]'::jsonb`.execute(db);
  await sql`alter table rm_performance_publications drop column sheet`.execute(db);
  await sql`drop table rm_performance_published_evidence`.execute(db);
}
