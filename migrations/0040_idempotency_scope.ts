import { sql, type Kysely } from 'kysely';

/**
 * Stored Idempotency-Key replies are scoped to who asked, in which role, on which route
 * (issue 13: a key was shared across roles and routes), and expire. No deployment holds
 * data yet, so the table is rebuilt rather than altered.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists http_idempotency`.execute(db);
  await sql`
    create table http_idempotency (
      principal text not null,
      role text not null,
      method text not null,
      route text not null,
      key text not null,
      request_hash text not null,
      status_code integer not null,
      headers jsonb not null,
      body text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (principal, role, method, route, key)
    )`.execute(db);
  await sql`create index http_idempotency_expires_at on http_idempotency (expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table http_idempotency`.execute(db);
  await sql`
    create table http_idempotency (
      key text not null, principal text not null, request_hash text not null, status_code integer not null,
      headers jsonb not null, body text not null, created_at timestamptz not null default now(), primary key (principal, key)
    )`.execute(db);
}
