import { sql, type Kysely } from 'kysely';

/**
 * Assistance as the law runs it: officials who confirm (with their jurisdiction), money actually
 * paid (once per month / once per grant), one open case per household and program, and
 * decisions taken over from the county's existing roll.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rm_officials (
      id uuid primary key,
      name text not null,
      role text not null,
      town_id uuid,
      from_date date not null,
      to_date date,
      version bigint not null
    )`.execute(db);
  await sql`
    create table rm_case_paid (
      payment_id uuid primary key,
      case_id uuid not null,
      program text not null,
      town_id uuid not null,
      kind text not null,
      month text,
      fen bigint not null,
      paid_on date not null,
      migrated boolean not null
    )`.execute(db);
  await sql`create index rm_case_paid_case on rm_case_paid (case_id, month)`.execute(db);
  await sql`create index rm_case_paid_month on rm_case_paid (month, town_id, program)`.execute(db);
  // The read model's own guard against two racing applications: one open case per household and program.
  await sql`create unique index rm_cases_one_open on rm_cases (household_id, program) where status not in ('denied', 'stopped', 'closed')`.execute(db);
  await sql`alter table rm_cases add column migrated jsonb`.execute(db);
  await sql`alter table rm_cases add column paid_fen bigint not null default 0`.execute(db);
  await sql`alter table rm_cases add column last_return jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table rm_cases drop column last_return`.execute(db);
  await sql`alter table rm_cases drop column paid_fen`.execute(db);
  await sql`alter table rm_cases drop column migrated`.execute(db);
  await sql`drop index rm_cases_one_open`.execute(db);
  await sql`drop table rm_case_paid`.execute(db);
  await sql`drop table rm_officials`.execute(db);
}
