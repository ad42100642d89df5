import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rm_towns (
      id uuid primary key,
      code text not null unique,
      name text not null,
      status text not null,
      version bigint not null,
      registered_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_towns_name on rm_towns (name, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table rm_towns`.execute(db);
}
