import { sql, type Kysely } from 'kysely';

/**
 * Read models for community resources: volunteers, teams and their dated memberships, service
 * records with minutes per volunteer, mobilisable counts, projects, donations and allocations.
 * Money is bigint fen; time is integer minutes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rm_volunteers (
      id uuid primary key,
      name text not null,
      id_number text not null,
      phone text not null,
      skills jsonb not null,
      town_id uuid not null,
      village_id uuid,
      status text not null,
      registered_on date not null,
      withdrawn_on date,
      withdrawal_reason text,
      version bigint not null,
      updated_at timestamptz not null
    )`.execute(db);
  // One registered volunteer per person: backs the decider's check under a race. Withdrawn
  // records keep their number, so a returning person registers anew.
  await sql`create unique index rm_volunteers_active_id_number on rm_volunteers (id_number) where status = 'registered'`.execute(db);
  await sql`create index rm_volunteers_town on rm_volunteers (town_id, id)`.execute(db);
  await sql`create index rm_volunteers_name on rm_volunteers (name)`.execute(db);

  await sql`
    create table rm_volunteer_teams (
      id uuid primary key,
      name text not null,
      kind text not null,
      town_id uuid not null,
      village_id uuid,
      status text not null,
      formed_on date not null,
      disbanded_on date,
      leader_id uuid,
      leader_from date,
      version bigint not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_volunteer_teams_town on rm_volunteer_teams (town_id, id)`.execute(db);
  await sql`
    create table rm_volunteer_team_members (
      team_id uuid not null,
      volunteer_id uuid not null,
      from_date date not null,
      to_date date,
      primary key (team_id, volunteer_id, from_date)
    )`.execute(db);
  await sql`create index rm_volunteer_team_members_volunteer on rm_volunteer_team_members (volunteer_id)`.execute(db);

  await sql`
    create table rm_volunteer_services (
      id uuid primary key,
      activity text not null,
      service_date date not null,
      town_id uuid not null,
      village_id uuid,
      project_id uuid,
      participants jsonb not null,
      household_ids jsonb not null,
      served_groups jsonb not null,
      people_served integer not null,
      children_served integer not null,
      note text not null,
      voided boolean not null default false,
      void_reason text,
      version bigint not null,
      recorded_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_volunteer_services_date on rm_volunteer_services (service_date, id)`.execute(db);
  await sql`create index rm_volunteer_services_project on rm_volunteer_services (project_id)`.execute(db);
  // One row per volunteer per record (voided records leave none): hours add up from here.
  await sql`
    create table rm_volunteer_service_minutes (
      service_id uuid not null,
      volunteer_id uuid not null,
      team_id uuid,
      service_date date not null,
      town_id uuid not null,
      minutes integer not null,
      primary key (service_id, volunteer_id)
    )`.execute(db);
  await sql`create index rm_volunteer_service_minutes_volunteer on rm_volunteer_service_minutes (volunteer_id, service_date)`.execute(db);
  await sql`create index rm_volunteer_service_minutes_team on rm_volunteer_service_minutes (team_id, service_date)`.execute(db);
  await sql`
    create table rm_volunteer_service_households (
      service_id uuid not null,
      household_id uuid not null,
      project_id uuid,
      primary key (service_id, household_id)
    )`.execute(db);
  await sql`create index rm_volunteer_service_households_household on rm_volunteer_service_households (household_id)`.execute(db);

  await sql`
    create table rm_mobilisable_counts (
      organisation_id uuid primary key,
      organisation text not null,
      town_id uuid,
      count integer not null,
      as_of date not null,
      note text not null,
      updated_at timestamptz not null
    )`.execute(db);

  await sql`
    create table rm_community_projects (
      id uuid primary key,
      kind text not null,
      name text not null,
      description text not null,
      town_id uuid,
      village_id uuid,
      station_id uuid,
      provider text,
      partner text,
      contract_amount_fen bigint,
      from_date date not null,
      to_date date,
      status text not null,
      closed_on date,
      spent_fen bigint not null default 0,
      version bigint not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_community_projects_town on rm_community_projects (town_id, id)`.execute(db);
  await sql`
    create table rm_project_deliverables (
      deliverable_id uuid primary key,
      project_id uuid not null,
      position integer not null,
      description text not null,
      target integer,
      unit text,
      completed_on date,
      note text
    )`.execute(db);
  await sql`create index rm_project_deliverables_project on rm_project_deliverables (project_id, position)`.execute(db);
  await sql`
    create table rm_project_spendings (
      id uuid primary key,
      project_id uuid not null,
      amount_fen bigint not null,
      spent_on date not null,
      purpose text not null
    )`.execute(db);
  await sql`create index rm_project_spendings_project on rm_project_spendings (project_id, spent_on)`.execute(db);

  await sql`
    create table rm_donations (
      id uuid primary key,
      donor_kind text not null,
      donor_name text,
      amount_fen bigint not null,
      allocated_fen bigint not null default 0,
      received_on date not null,
      channel text not null,
      purpose text not null,
      designated_project_id uuid,
      town_id uuid,
      version bigint not null,
      updated_at timestamptz not null,
      constraint rm_donations_within_amount check (allocated_fen <= amount_fen)
    )`.execute(db);
  await sql`create index rm_donations_received on rm_donations (received_on, id)`.execute(db);
  await sql`
    create table rm_donation_allocations (
      id uuid primary key,
      donation_id uuid not null,
      target_kind text not null,
      project_id uuid,
      household_id uuid,
      amount_fen bigint not null,
      allocated_on date not null,
      note text not null
    )`.execute(db);
  await sql`create index rm_donation_allocations_donation on rm_donation_allocations (donation_id)`.execute(db);
  await sql`create index rm_donation_allocations_project on rm_donation_allocations (project_id)`.execute(db);
  await sql`create index rm_donation_allocations_household on rm_donation_allocations (household_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'rm_donation_allocations',
    'rm_donations',
    'rm_project_spendings',
    'rm_project_deliverables',
    'rm_community_projects',
    'rm_mobilisable_counts',
    'rm_volunteer_service_households',
    'rm_volunteer_service_minutes',
    'rm_volunteer_services',
    'rm_volunteer_team_members',
    'rm_volunteer_teams',
    'rm_volunteers',
  ]) {
    await sql`drop table ${sql.table(t)}`.execute(db);
  }
}
