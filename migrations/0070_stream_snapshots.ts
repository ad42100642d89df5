import { sql, type Kysely } from 'kysely';

/**
 * Snapshots of a decider's state at a stream version (issue 14, bounded streams): a cache that a
 * command loads instead of folding the stream from its first event. Derived data: deleting every
 * row only makes the next commands read whole streams again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table es_snapshots (
      stream_id text not null,
      snapshot_key text not null,
      version bigint not null,
      state jsonb not null,
      taken_at timestamptz not null default now(),
      primary key (stream_id, snapshot_key)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table es_snapshots`.execute(db);
}
