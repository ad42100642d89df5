import type { Database } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import type { Observation } from '../../domain/detection/observation';
import { json } from './rows';

/** Which of these observations were recorded before (by any import). */
export async function knownRecordKeys(db: Kysely<Database>, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await sql<{ record_key: string }>`select record_key from rm_detection_observations where record_key = any(${[...keys]}::text[])`.execute(db);
  return new Set(rows.rows.map((r) => r.record_key));
}

/**
 * Each person's observations, oldest recorded first: what the rules compare a new row with.
 * `without` leaves out one import's rows `fromRow`–`toRow` (a chunk still being written, which
 * the caller adds itself: this read may come before or after its commit).
 */
export async function observationHistory(
  db: Kysely<Database>,
  personIds: readonly string[],
  without: { importId: string; fromRow: number; toRow: number } | null = null,
): Promise<Map<string, Observation[]>> {
  const history = new Map<string, Observation[]>();
  if (personIds.length === 0) return history;
  const leaveOut = without ? sql`and not (import_id = ${without.importId}::uuid and row_no between ${without.fromRow} and ${without.toRow})` : sql``;
  const rows = await sql<{ person_id: string; data: unknown }>`
    select person_id, data from rm_detection_observations where person_id = any(${[...personIds]}::uuid[]) ${leaveOut} order by seq`.execute(db);
  for (const r of rows.rows) {
    const list = history.get(r.person_id) ?? [];
    list.push(json<Observation>(r.data));
    history.set(r.person_id, list);
  }
  return history;
}
