import { sql, type Kysely } from 'kysely';

/**
 * The event log. `transaction_id` (xid8) orders the global log gap-safely: readers only take
 * rows below `pg_snapshot_xmin(pg_current_snapshot())`, so a slower transaction that drew a
 * lower `global_position` can never commit behind a reader's checkpoint.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table es_streams (
      stream_id text primary key,
      version bigint not null,
      last_hash text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table es_events (
      global_position bigint generated always as identity primary key,
      transaction_id xid8 not null default pg_current_xact_id(),
      event_id uuid not null unique,
      stream_id text not null,
      version bigint not null,
      type text not null,
      schema_version integer not null,
      data jsonb not null,
      metadata jsonb not null,
      recorded_at timestamptz not null,
      prev_hash text not null,
      hash text not null,
      unique (stream_id, version)
    )`.execute(db);
  await sql`create index es_events_commit_order on es_events (transaction_id, global_position)`.execute(db);
  await sql`create index es_events_type_order on es_events (type, transaction_id, global_position)`.execute(db);

  await sql`
    create table es_checkpoints (
      name text primary key,
      position text not null,
      events_applied bigint not null default 0,
      updated_at timestamptz not null default now()
    )`.execute(db);

  // Stored responses for the HTTP Idempotency-Key header.
  await sql`
    create table http_idempotency (
      key text not null,
      principal text not null,
      request_hash text not null,
      status_code integer not null,
      headers jsonb not null,
      body text not null,
      created_at timestamptz not null default now(),
      primary key (principal, key)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table http_idempotency`.execute(db);
  await sql`drop table es_checkpoints`.execute(db);
  await sql`drop table es_events`.execute(db);
  await sql`drop table es_streams`.execute(db);
}
