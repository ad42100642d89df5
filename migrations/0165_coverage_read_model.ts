import { sql, type Kysely } from 'kysely';

/**
 * Coverage as a read model (issue 20): the coverage projection keeps its own copy of the few
 * facts the report needs (places, stations, workers, dated periods, training sessions, visits
 * per group and month), so a read joins no other slice's tables. Every fact keeps its dates and
 * the read evaluates them on the day asked; visits are counted per (group, month), so a new
 * month needs no rebuild.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rm_coverage_places (
      id uuid primary key,
      kind text not null check (kind in ('town', 'village', 'group')),
      code text not null,
      name text not null,
      town_id uuid not null,
      village_id uuid,
      village_kind text,
      active boolean not null
    )`.execute(db);
  await sql`create index rm_coverage_places_town on rm_coverage_places (town_id, kind)`.execute(db);
  await sql`
    create table rm_coverage_stations (
      id uuid primary key,
      kind text not null,
      town_id uuid,
      village_id uuid,
      opened_on date,
      quality boolean not null
    )`.execute(db);
  await sql`
    create table rm_coverage_workers (
      id uuid primary key,
      name text not null,
      level text not null,
      town_id uuid,
      village_id uuid,
      hired_on date not null,
      left_on date,
      certified_on date
    )`.execute(db);
  await sql`
    create table rm_coverage_periods (
      id text primary key,
      kind text not null check (kind in ('responsibility', 'county_town_link', 'town_worker_link', 'mentoring')),
      worker_id uuid,
      target_id uuid,
      from_date date not null,
      to_date date
    )`.execute(db);
  await sql`create index rm_coverage_periods_kind on rm_coverage_periods (kind, target_id)`.execute(db);
  await sql`
    create table rm_coverage_training (
      id uuid primary key,
      kind text not null,
      held_on date not null
    )`.execute(db);
  await sql`
    create table rm_coverage_visits (
      visit_id uuid primary key,
      group_id uuid not null,
      month text not null,
      household_id uuid,
      people_served integer not null
    )`.execute(db);
  await sql`create index rm_coverage_visits_month on rm_coverage_visits (month, group_id, household_id)`.execute(db);
  await sql`
    create table rm_coverage_group_months (
      group_id uuid not null,
      month text not null,
      visits integer not null,
      households integer not null,
      people_served integer not null,
      primary key (month, group_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'rm_coverage_group_months',
    'rm_coverage_visits',
    'rm_coverage_training',
    'rm_coverage_periods',
    'rm_coverage_workers',
    'rm_coverage_stations',
    'rm_coverage_places',
  ])
    await sql`drop table ${sql.table(t)}`.execute(db);
}
