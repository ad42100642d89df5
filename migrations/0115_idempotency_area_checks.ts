import { sql, type Kysely } from 'kysely';

/**
 * A stored Idempotency-Key reply keeps the area checks its request passed (and the caller's
 * scope then), so a replay re-runs them against the caller's jurisdiction of the day (issue 13).
 * Rows stored before this column have none: they are never replayed (the command id derived
 * from the key still makes the rerun append nothing), and they expire within a day anyway.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table http_idempotency add column area_checks jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table http_idempotency drop column area_checks`.execute(db);
}
