import { sql, type Kysely } from 'kysely';

/**
 * Each event's data and metadata also as the exact text its hash was computed over (RFC 8785
 * JCS, issue 20), so that the whole-log verify hashes what it reads instead of parsing about
 * 1 KB of jsonb per event and writing it out canonically again. The jsonb columns stay what
 * projections and reads use; the verify checks in SQL that each still equals the parse of its
 * text, so an edit of either is found (the text by the hash and the MAC, the jsonb by that
 * comparison). Null for rows that have no text (written before this, or forged without it): the
 * verify hashes those from the jsonb, as before. Adding nullable columns rewrites nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table es_events add column data_jcs text, add column metadata_jcs text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table es_events drop column data_jcs, drop column metadata_jcs`.execute(db);
}
