import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import { canonicalJson } from '../src/application/hash-chain';

/** Rows read and written per statement: a few MB of text each way. */
const PAGE = 2000;

/**
 * The hashed text (0177) of the events written before it: the canonical JSON of their stored
 * jsonb, which is exactly what the verify hashed for them until now, so this changes no verdict (an
 * event altered before the backfill gets the text of its altered content, whose hash still
 * differs from the stored one and the MAC's). Keyset pages over the primary key; only rows without
 * a text are written. This is the one rewrite of the log the migration allows itself (see 0030).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await backfillHashedText(db, PAGE);
}

/**
 * up(), in pages of `pageSize` rows (tests take small pages, to cross many of them). It only runs
 * SQL, so any connection will do: a migration's or a test's transaction.
 */
export async function backfillHashedText(db: QueryExecutorProvider, pageSize: number): Promise<void> {
  await sql`set local es.allow_rewrite = 'migration 0178: the hashed text of events written before 0177'`.execute(db);
  let after = '0';
  for (;;) {
    // Ordered by the table's column: the text alias would sort '10' before '9'.
    const page = await sql<{ global_position: string; data: unknown; metadata: unknown }>`
      select global_position::text as global_position, data, metadata from es_events
      where global_position > ${after}::bigint and (data_jcs is null or metadata_jcs is null)
      order by es_events.global_position limit ${pageSize}`.execute(db);
    if (page.rows.length === 0) break;
    const positions = page.rows.map((r) => r.global_position);
    // A row that keeps only its data's text (0191) keeps that text: the coalesce below.
    const data = page.rows.map((r) => canonicalJson(r.data));
    const metadata = page.rows.map((r) => canonicalJson(r.metadata));
    await sql`
      update es_events e set data_jcs = coalesce(e.data_jcs, v.data_jcs), metadata_jcs = coalesce(e.metadata_jcs, v.metadata_jcs)
      from unnest(${positions}::bigint[], ${data}::text[], ${metadata}::text[]) as v(global_position, data_jcs, metadata_jcs)
      where e.global_position = v.global_position`.execute(db);
    after = positions[positions.length - 1]!;
  }
  // The permission ends here, not with the transaction the later migrations may share.
  await sql`set local es.allow_rewrite = ''`.execute(db);
}

export async function down(): Promise<void> {
  // Nothing to undo: 0177's down drops the columns.
}
