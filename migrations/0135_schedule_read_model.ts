import { sql, type Kysely } from 'kysely';

/**
 * The schedule as a read model (issue 20): what is due, overdue or done per household and group
 * obligation, as of the day in rm_schedule_state. A read on another day, or under another policy
 * version, rebuilds it once instead of computing the county per request.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rm_schedule_items (
      item_key text primary key,
      obligation text not null check (obligation in ('group_monthly_visit', 'household_monthly_visit', 'dynamic_review')),
      group_id uuid not null,
      village_id uuid not null,
      town_id uuid not null,
      worker_id uuid,
      household_id uuid,
      month text,
      due_date date not null,
      status text not null check (status in ('done', 'due', 'overdue')),
      last_visit date,
      interval_months integer,
      interval_reason text
    )`.execute(db);
  await sql`create index rm_schedule_items_status on rm_schedule_items (status, due_date, item_key)`.execute(db);
  await sql`create index rm_schedule_items_worker on rm_schedule_items (worker_id, status, due_date, item_key)`.execute(db);
  await sql`create index rm_schedule_items_village on rm_schedule_items (village_id, status, due_date, item_key)`.execute(db);
  await sql`create index rm_schedule_items_town on rm_schedule_items (town_id, status, due_date, item_key)`.execute(db);
  await sql`create index rm_schedule_items_group on rm_schedule_items (group_id)`.execute(db);
  await sql`create index rm_schedule_items_household on rm_schedule_items (household_id)`.execute(db);
  await sql`
    create table rm_schedule_state (
      id integer primary key check (id = 1),
      as_of date,
      policy_version integer,
      built_at timestamptz
    )`.execute(db);
  await sql`insert into rm_schedule_state (id) values (1)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['rm_schedule_state', 'rm_schedule_items']) await sql`drop table ${sql.table(t)}`.execute(db);
}
