import { sql, type Kysely } from 'kysely';

/**
 * Which demo county (issue 15) this database holds: a row is written when `DEMO=1 npm start`
 * begins loading one and marked loaded when it is done, so a restart neither reloads a loaded
 * county nor loads a demo county into a database that holds other data. Operational state of
 * the demo loader, not a read model: the county itself is in the events.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table demo_county_loads (
      scale text not null,
      seed text not null,
      state text not null check (state in ('loading', 'loaded')),
      started_at timestamptz not null,
      loaded_at timestamptz,
      summary jsonb,
      primary key (scale, seed)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table demo_county_loads`.execute(db);
}
