import { sql } from 'kysely';
import type { SqlDatabase } from './sql-database';

/**
 * After a logical restore (pg_dump / pg_restore into a fresh cluster, whose transaction counter
 * is lower), stored commit keys lie above what this cluster's transactions draw, and the
 * gap-safe reader would hide them. This raises the key base once so that every new key lies above
 * every restored one (see migration 0030). It is a cheap check when nothing was restored, and runs
 * at every start, so a restore needs no step besides pg_restore. Answers by how much the base rose.
 */
export async function rebasePositionsAfterRestore(database: SqlDatabase): Promise<number> {
  const probe = await sql<{ restored: boolean }>`
    select coalesce((select max(transaction_id) from es_events)
      >= pg_snapshot_xmax(pg_current_snapshot())::text::bigint + (select base from es_position_base), false) as restored`.execute(database.db);
  if (!probe.rows[0]?.restored) return 0;
  // The function takes the log's exclusive lock and re-checks under it.
  const rebased = await database.db.transaction().execute((trx) => sql<{ raised: string }>`select es_rebase_positions() as raised`.execute(trx));
  return Number(rebased.rows[0]!.raised);
}
