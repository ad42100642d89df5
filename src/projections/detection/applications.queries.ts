import type { Database } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import type { ApplicationCheck } from '../../domain/detection/finding.decide';

/**
 * Does the assistance application (case) a "visited and enrolled" outcome links exist, and
 * whose household is it? Read from the assistance module's read model; where that module is
 * not installed the check is "unavailable" and the link is recorded as given.
 */
export async function applicationCheck(db: Kysely<Database>, applicationId: string): Promise<ApplicationCheck> {
  const installed = await sql<{ present: boolean }>`select to_regclass('rm_cases') is not null as present`.execute(db);
  if (!installed.rows[0]?.present) return { status: 'unavailable' };
  const rows = await sql<{ household_id: string }>`select household_id from rm_cases where id = ${applicationId}::uuid`.execute(db);
  return rows.rows[0] ? { status: 'found', householdId: rows.rows[0].household_id } : { status: 'not_found' };
}
