import { sql, type Kysely } from 'kysely';

/**
 * Name search by an index (issue 20): `GET /households?name=` matches members whose name
 * contains the text (`like '%text%'`), which no btree serves, so every search read all members.
 * Every character of a name, as an array the database derives from the name itself (a generated
 * column: no writer can let it drift) under a GIN index (core PostgreSQL, so PGlite too; no
 * pg_trgm, whose trigrams a one- or two-character Chinese name or surname does not fill). A name
 * containing the text holds each of its characters, so `name_chars @> characters of the text`
 * narrows the members by the index and the `like` keeps its exact meaning. The names were already
 * stored as they are in this table; the array stores nothing more.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table rm_household_members add column name_chars text[] generated always as (string_to_array(name, null)) stored`.execute(db);
  await sql`create index rm_household_members_name_chars on rm_household_members using gin (name_chars)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table rm_household_members drop column name_chars`.execute(db);
}
