import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';

/** Rows per statement: a page of positions, then the update of the rows among them that hold a copy. */
const PAGE = 5000;

/**
 * An event's data is kept once, as the text its hash covers (issue 20, the verify of a
 * county-year). Since 0177 every event held its data twice: the hashed text (data_jcs), and the
 * same content parsed into the jsonb column that the service read. The verify had to prove in SQL
 * that the two were still the same, parsing every event's text again: 1.6 s of the database's
 * CPU for the demo county's 167,926 events, more than the rest of the verify's reading. Now every
 * reader of the log gets the hashed text itself, so what the hash covers is what is shown, and
 * there is no second copy to keep equal: new events leave the column null, and the copies of
 * the events already written are dropped here. Only a copy equal to its text is dropped: one
 * that differs is an edit of the log, left for the verify to report. Metadata keeps its jsonb
 * (a fifth of the size, and the verify's check of recorded_at reads it). This is a rewrite of the
 * log, which the append-only trigger allows a migration (as 0178).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table es_events alter column data drop not null`.execute(db);
  await dropDataCopies(db, PAGE);
}

/** up()'s rewrite, in pages of `pageSize` positions (tests take small pages, to cross many of them). */
export async function dropDataCopies(db: QueryExecutorProvider, pageSize: number): Promise<void> {
  await sql`set local es.allow_rewrite = 'migration 0191: an event''s data kept once, as its hashed text'`.execute(db);
  let after = '0';
  for (;;) {
    const page = await sql<{ last: string | null }>`
      select max(global_position)::text as last from (
        select global_position from es_events where global_position > ${after}::bigint order by global_position limit ${pageSize}) p`.execute(db);
    const last = page.rows[0]?.last ?? null;
    if (last === null) break;
    await sql`
      update es_events set data = null
      where global_position > ${after}::bigint and global_position <= ${last}::bigint
        and data is not null and data_jcs is not null and data = data_jcs::jsonb`.execute(db);
    after = last;
  }
  // The permission ends here, not with the transaction the later migrations may share.
  await sql`set local es.allow_rewrite = ''`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`set local es.allow_rewrite = 'migration 0191 down: the jsonb copy of each event''s data'`.execute(db);
  await sql`update es_events set data = data_jcs::jsonb where data is null and data_jcs is not null`.execute(db);
  await sql`set local es.allow_rewrite = ''`.execute(db);
  await sql`alter table es_events alter column data set not null`.execute(db);
}
