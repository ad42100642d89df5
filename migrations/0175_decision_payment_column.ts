import { sql, type Kysely } from 'kysely';

/**
 * The decision list's payment as a column of its own (issue 20): `GET /decisions` read it as
 * `body -> 'payment'`, which detoasts and decompresses each listed decision's whole body (facts,
 * rules, reasons: ~4 KB) for a few bytes. The projection writes it beside the body; the rows
 * already there take it from their body. SQL null when the decision pays nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table rm_decisions add column payment jsonb`.execute(db);
  await sql`update rm_decisions set payment = nullif(body -> 'payment', 'null'::jsonb)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table rm_decisions drop column payment`.execute(db);
}
