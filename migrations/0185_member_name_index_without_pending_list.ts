import { sql, type Kysely } from 'kysely';

/**
 * The name search's GIN index (migration 0176) without a pending list (issue 20). By default
 * GIN queues new entries in an unsorted pending list that only a VACUUM, an autovacuum or the
 * list reaching 4 MB merges into the index, and every search reads the whole list. After the
 * demo county's load it held 22,137 entries (146 pages): `?name=` scanned all of them before
 * the index, 1.9 ms of a 2.9 ms search, and PGlite has no autovacuum to ever merge them. Without
 * the list each insert of a member merges its two or three characters at once (a registration's
 * cost, a few index pages), and the entries already queued are merged here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter index rm_household_members_name_chars set (fastupdate = off)`.execute(db);
  await sql`select gin_clean_pending_list('rm_household_members_name_chars'::regclass)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter index rm_household_members_name_chars reset (fastupdate)`.execute(db);
}
