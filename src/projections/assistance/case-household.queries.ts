import { sql } from 'kysely';
import type { Db } from '../../storage/database';

/**
 * The household of an assistance case, for another slice that links a case (detection's
 * "visited and enrolled" outcome): its id, null when there is no such case, or undefined where
 * the assistance read model is not installed.
 */
export async function householdOfCase(db: Db, caseId: string): Promise<string | null | undefined> {
  const installed = await sql<{ present: boolean }>`select to_regclass('rm_cases') is not null as present`.execute(db);
  if (!installed.rows[0]?.present) return undefined;
  const rows = await sql<{ household_id: string }>`select household_id from rm_cases where id = ${caseId}::uuid`.execute(db);
  return rows.rows[0]?.household_id ?? null;
}
