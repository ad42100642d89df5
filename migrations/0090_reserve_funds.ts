import { sql, type Kysely } from 'kysely';

/** 乡镇临时救助备用金: top-ups and emergency-grant draws per town (issue #19). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table rm_reserve_fund_cases (case_id uuid primary key, town_id uuid not null)`.execute(db);
  await sql`
    create table rm_reserve_fund_movements (
      id uuid primary key,
      town_id uuid not null,
      kind text not null check (kind in ('top_up', 'draw')),
      fen bigint not null check (fen > 0),
      on_date date not null,
      case_id uuid,
      reference text not null,
      recorded_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_reserve_fund_movements_town on rm_reserve_fund_movements (town_id, on_date)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['rm_reserve_fund_movements', 'rm_reserve_fund_cases']) await sql`drop table ${sql.table(t)}`.execute(db);
}
