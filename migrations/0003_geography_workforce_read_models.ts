import { sql, type Kysely } from 'kysely';

/**
 * Read models for geography, stations and the workforce. Assignments keep their whole dated
 * history (from, to), so "who was responsible on date D" is a query, never a stale flag.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table rm_towns add column retired_at timestamptz`.execute(db);
  await sql`
    create table rm_villages (
      id uuid primary key,
      code text not null unique,
      name text not null,
      kind text not null,
      town_id uuid not null,
      status text not null,
      version bigint not null,
      registered_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_villages_town on rm_villages (town_id, code)`.execute(db);
  await sql`
    create table rm_groups (
      id uuid primary key,
      code text not null unique,
      name text not null,
      village_id uuid not null,
      town_id uuid not null,
      status text not null,
      version bigint not null,
      registered_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_groups_village on rm_groups (village_id, code)`.execute(db);
  await sql`create index rm_groups_town on rm_groups (town_id, code)`.execute(db);

  await sql`
    create table rm_stations (
      id uuid primary key,
      kind text not null,
      town_id uuid not null,
      village_id uuid,
      name text not null,
      status text not null,
      quality boolean not null default false,
      checklist jsonb not null,
      opened_on date,
      version bigint not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_stations_place on rm_stations (town_id, village_id)`.execute(db);

  await sql`
    create table rm_workers (
      id uuid primary key,
      name text not null,
      level text not null,
      phone text not null,
      id_number text not null unique,
      town_id uuid,
      village_id uuid,
      posted_from date,
      hired_on date not null,
      left_on date,
      status text not null,
      certification_level text,
      version bigint not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_workers_level on rm_workers (level, name, id)`.execute(db);
  await sql`
    create table rm_certifications (
      worker_id uuid not null,
      level text not null,
      certificate_number text not null,
      certified_on date not null,
      primary key (worker_id, certificate_number)
    )`.execute(db);
  await sql`
    create table rm_training_sessions (
      id uuid primary key,
      title text not null,
      held_on date not null,
      kind text not null,
      version bigint not null
    )`.execute(db);
  await sql`
    create table rm_training_attendance (
      session_id uuid not null,
      worker_id uuid not null,
      primary key (session_id, worker_id)
    )`.execute(db);
  await sql`
    create table rm_mentoring (
      id uuid primary key,
      mentor_id uuid not null,
      mentee_id uuid not null,
      from_date date not null,
      to_date date
    )`.execute(db);

  // kind: county_town_link (county worker → town) | town_worker_link (town worker → village worker)
  await sql`
    create table rm_worker_links (
      id text primary key,
      kind text not null,
      worker_id uuid not null,
      target_id uuid not null,
      from_date date not null,
      to_date date
    )`.execute(db);
  await sql`create index rm_worker_links_worker on rm_worker_links (worker_id, kind, from_date)`.execute(db);
  await sql`create index rm_worker_links_target on rm_worker_links (target_id, kind, from_date)`.execute(db);

  // 包保: the responsible worker of each villager group, every period [from, to) kept.
  await sql`
    create table rm_group_responsibilities (
      group_id uuid not null,
      worker_id uuid not null,
      from_date date not null,
      to_date date,
      primary key (group_id, from_date)
    )`.execute(db);
  await sql`create index rm_group_responsibilities_worker on rm_group_responsibilities (worker_id, from_date)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'rm_group_responsibilities',
    'rm_worker_links',
    'rm_mentoring',
    'rm_training_attendance',
    'rm_training_sessions',
    'rm_certifications',
    'rm_workers',
    'rm_stations',
    'rm_groups',
    'rm_villages',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`alter table rm_towns drop column retired_at`.execute(db);
}
