import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rm_households (
      id uuid primary key,
      group_id uuid not null,
      address text,
      income_stability text not null,
      version bigint not null,
      registered_on date not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_households_group on rm_households (group_id, id)`.execute(db);
  // One person, one household: the unique ID number backs the decider's check under a race.
  await sql`
    create table rm_household_members (
      person_id uuid primary key,
      household_id uuid not null,
      name text not null,
      id_number text not null,
      birth_date date not null,
      sex text not null,
      relation text not null,
      disability jsonb,
      serious_illness text,
      labour_capacity text not null,
      school_status text,
      constraint rm_household_members_id_number unique (id_number)
    )`.execute(db);
  await sql`create index rm_household_members_household on rm_household_members (household_id)`.execute(db);
  await sql`create index rm_household_members_name on rm_household_members (name)`.execute(db);
  await sql`
    create table rm_special_memberships (
      id uuid primary key,
      household_id uuid not null,
      person_id uuid,
      group_kind text not null,
      risk_level integer,
      from_date date not null,
      to_date date
    )`.execute(db);
  await sql`create index rm_special_memberships_household on rm_special_memberships (household_id)`.execute(db);
  await sql`create index rm_special_memberships_kind on rm_special_memberships (group_kind, household_id)`.execute(db);
  await sql`
    create table rm_household_changes (
      household_id uuid not null,
      version bigint not null,
      on_date date not null,
      category text not null,
      description text not null,
      primary key (household_id, version)
    )`.execute(db);
  await sql`
    create table rm_visits (
      id uuid primary key,
      worker_id uuid not null,
      household_id uuid,
      group_id uuid not null,
      visit_date date not null,
      kind text not null,
      findings text not null,
      follow_up_actions jsonb not null,
      people_served integer not null,
      late boolean not null,
      recorded_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_visits_date on rm_visits (visit_date, id)`.execute(db);
  await sql`create index rm_visits_household on rm_visits (household_id, visit_date)`.execute(db);
  await sql`create index rm_visits_group on rm_visits (group_id, visit_date)`.execute(db);
  await sql`create index rm_visits_worker on rm_visits (worker_id, visit_date)`.execute(db);
  await sql`
    create table rm_schedule_policies (
      version integer primary key,
      effective_from date not null,
      body jsonb not null,
      recorded_at timestamptz not null
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['rm_schedule_policies', 'rm_visits', 'rm_household_changes', 'rm_special_memberships', 'rm_household_members', 'rm_households']) {
    await sql`drop table ${sql.table(t)}`.execute(db);
  }
}
