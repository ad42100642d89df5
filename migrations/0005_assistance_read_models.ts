import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rm_policy_versions (
      id text primary key,
      county_code text not null,
      effective_from date not null,
      calendar_id text not null,
      body jsonb not null,
      content_hash text not null,
      added_at timestamptz not null
    )`.execute(db);
  await sql`create table rm_calendars (id text primary key, covers_from date not null, covers_to date not null, body jsonb not null, content_hash text not null, added_at timestamptz not null)`.execute(
    db,
  );
  // Due dates are stored as the facts they are; "overdue" is computed from them when asked.
  await sql`
    create table rm_cases (
      id uuid primary key,
      program text not null,
      household_id uuid not null,
      applicant_person_id uuid not null,
      group_id uuid not null,
      village_id uuid not null,
      town_id uuid not null,
      channel text not null,
      status text not null,
      relative_of jsonb,
      started_by_worker_id uuid,
      applied_on date not null,
      accepted_on date,
      review_due_on date,
      notice_ends_on date,
      confirmation_due_on date,
      decided_on date,
      paperwork_due_on date,
      paperwork_done_on date,
      refusal_notice_due_on date,
      refusal_notified_on date,
      next_review_due_on date,
      version bigint not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_cases_place on rm_cases (town_id, village_id, status)`.execute(db);
  await sql`
    create table rm_decisions (
      id uuid primary key,
      case_id uuid not null,
      event_id uuid not null,
      kind text not null,
      program text not null,
      decision_date date not null,
      outcome text not null,
      town_id uuid not null,
      village_id uuid not null,
      decided_by text not null,
      decided_by_role text not null,
      policy_id text not null,
      policy_hash text not null,
      monthly_fen bigint,
      one_off_fen bigint,
      body jsonb not null,
      recorded_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_decisions_date on rm_decisions (decision_date, id)`.execute(db);
  await sql`create index rm_decisions_case on rm_decisions (case_id, decision_date)`.execute(db);
  await sql`
    create table rm_case_payments (
      decision_id uuid primary key,
      case_id uuid not null,
      monthly_fen bigint,
      one_off_fen bigint,
      from_date date not null,
      to_date date
    )`.execute(db);
  await sql`create index rm_case_payments_case on rm_case_payments (case_id, from_date)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['rm_case_payments', 'rm_decisions', 'rm_cases', 'rm_calendars', 'rm_policy_versions']) await sql`drop table ${sql.table(t)}`.execute(db);
}
