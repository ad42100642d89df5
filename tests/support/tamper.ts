import type { Db } from '../../src/application/db';
import { sql, type RawBuilder } from 'kysely';

/**
 * Runs SQL as a database administrator would to get around the log's append-only triggers and
 * its foreign key: in one transaction with `session_replication_role = replica`, which skips
 * ordinary triggers (the FK is one too). Tests use it to tamper on purpose.
 */
export async function asDba(db: Db, ...statements: RawBuilder<unknown>[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    for (const statement of statements) await statement.execute(trx);
  });
}
