import { sql } from 'kysely';
import type { Db } from '../../storage/database';

/** An official's appointment in force on the day: found (with its town, null for the county) or not. */
export async function appointmentOn(db: Db, officialId: string, role: string, onDate: string): Promise<{ townId: string | null } | null> {
  const rows = await sql<{ town_id: string | null }>`
    select town_id from rm_officials where id = ${officialId}::uuid and role = ${role}
      and from_date <= ${onDate}::date and (to_date is null or to_date > ${onDate}::date)`.execute(db);
  const row = rows.rows[0];
  return row ? { townId: row.town_id } : null;
}

/** Whether the id names an official ever appointed (one whose appointment ended still is). */
export async function isRegisteredOfficial(db: Db, officialId: string): Promise<boolean> {
  const found = await sql<{ one: number }>`select 1 as one from rm_officials where id = ${officialId}::uuid limit 1`.execute(db);
  return found.rows.length > 0;
}
