import type { Database } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import type { Observation } from '../../domain/detection/observation';
import { json } from './rows';

/** A person on the household register, as matching needs them. */
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

/** Active villager groups by code: where an address code places someone not on the register. */
export async function activeGroupsByCode(db: Kysely<Database>, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await sql<{ code: string; id: string }>`select code, id from rm_groups where code = any(${[...codes]}::text[]) and status = 'active'`.execute(
    db,
  );
  return new Map(rows.rows.map((r) => [r.code, r.id]));
}

/** Which of these observations were recorded before (by any import). */
export async function knownRecordKeys(db: Kysely<Database>, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await sql<{ record_key: string }>`select record_key from rm_detection_observations where record_key = any(${[...keys]}::text[])`.execute(db);
  return new Set(rows.rows.map((r) => r.record_key));
}

/** Each person's observations, oldest recorded first: what the rules compare a new row with. */
export async function observationHistory(db: Kysely<Database>, personIds: readonly string[]): Promise<Map<string, Observation[]>> {
  const history = new Map<string, Observation[]>();
  if (personIds.length === 0) return history;
  const rows = await sql<{ person_id: string; data: unknown }>`
    select person_id, data from rm_detection_observations where person_id = any(${[...personIds]}::uuid[]) order by seq`.execute(db);
  for (const r of rows.rows) {
    const list = history.get(r.person_id) ?? [];
    list.push(json<Observation>(r.data));
    history.set(r.person_id, list);
  }
  return history;
}
