import { sql, type Kysely } from 'kysely';
import type { Database } from '../../storage/database';
import { json } from '../row-values';

/** People on the household register as other slices look them up: by ID number, or joined by person id. */

/** A person on the household register, as detection's matching needs them. */
export interface RegisteredPerson {
  personId: string;
  name: string;
  householdId: string;
  groupId: string;
  disabilityGrade: number | null;
}

/** Registry people by ID number (normalised, upper-case X), for one chunk of rows. */
export async function registeredPeople(db: Kysely<Database>, idNumbers: readonly string[]): Promise<Map<string, RegisteredPerson>> {
  if (idNumbers.length === 0) return new Map();
  const rows = await sql<{ id_number: string; person_id: string; name: string; household_id: string; group_id: string; disability: unknown }>`
    select m.id_number, m.person_id, m.name, m.household_id, h.group_id, m.disability
    from rm_household_members m join rm_households h on h.id = m.household_id
    where m.id_number = any(${[...idNumbers]}::text[])`.execute(db);
  return new Map(
    rows.rows.map((r) => {
      const disability = r.disability ? json<{ grade: number }>(r.disability) : null;
      return [
        r.id_number,
        { personId: r.person_id, name: r.name, householdId: r.household_id, groupId: r.group_id, disabilityGrade: disability?.grade ?? null },
      ];
    }),
  );
}

/**
 * Each registered person's household and its group today, as a derived table another slice's
 * statement joins (`left join ${personHouseholdRows} h on h.person_id = …`), one statement.
 */
export const personHouseholdRows = sql`(select m.person_id, h.id, h.group_id from rm_household_members m join rm_households h on h.id = m.household_id)`;
