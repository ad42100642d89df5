import type { Database } from '../../storage/database';
import type { Kysely } from 'kysely';
import type { ApplicationCheck } from '../../domain/detection/finding.decide';
import { householdOfCase } from '../assistance/case-household.queries';

/**
 * Does the assistance application (case) a "visited and enrolled" outcome links exist, and
 * whose household is it? Read through the assistance module's query; where that module is
 * not installed the check is "unavailable" and the link is recorded as given.
 */
export async function applicationCheck(db: Kysely<Database>, applicationId: string): Promise<ApplicationCheck> {
  const householdId = await householdOfCase(db, applicationId);
  if (householdId === undefined) return { status: 'unavailable' };
  return householdId === null ? { status: 'not_found' } : { status: 'found', householdId };
}
