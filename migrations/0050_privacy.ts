import { sql, type Kysely } from 'kysely';

/**
 * Personal-data privacy (issue 13): the keyed person index (HMAC of the ID number → random
 * person id; the key is outside the database) and the log of reads of sensitive classes.
 * Neither is a projection: rebuilding read models leaves them alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table person_index (
      id_digest text primary key,
      person_id uuid not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  // Not unique: a corrected ID number is linked to the person's existing id.
  await sql`create index person_index_person on person_index (person_id)`.execute(db);
  await sql`
    create table privacy_access_log (
      seq bigint generated always as identity primary key,
      at timestamptz not null,
      actor_id text not null,
      actor_role text not null,
      route text not null,
      household_id uuid,
      subject_kind text not null,
      subject_id text not null,
      classes text[] not null
    )`.execute(db);
  await sql`create index privacy_access_log_household on privacy_access_log (household_id, seq)`.execute(db);
  await sql`create index privacy_access_log_actor on privacy_access_log (actor_id, seq)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table privacy_access_log`.execute(db);
  await sql`drop table person_index`.execute(db);
}
