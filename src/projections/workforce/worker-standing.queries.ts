import { sql } from 'kysely';
import type { Db } from '../../storage/database';

/**
 * Where a worker stands on a day, as the jurisdiction of a request needs it: each a single
 * statement (the resolver runs on every request), or a subquery another slice's statement embeds.
 */

/** The towns an employed county worker is linked to on the day. */
export async function linkedTownsOfCountyWorker(db: Db, workerId: string, onDate: string): Promise<string[]> {
  const links = await sql<{ target_id: string }>`
    select l.target_id from rm_worker_links l join rm_workers w on w.id = l.worker_id
    where l.worker_id = ${workerId}::uuid and l.kind = 'county_town_link' and w.level = 'county' and w.status = 'employed'
      and l.from_date <= ${onDate}::date and (l.to_date is null or l.to_date > ${onDate}::date)`.execute(db);
  return links.rows.map((r) => r.target_id);
}

/** The town an employed town worker is posted to, or null (not one, not employed, not posted). */
export async function townOfTownWorker(db: Db, workerId: string): Promise<string | null> {
  const worker = await sql<{ town_id: string | null }>`
    select town_id from rm_workers where id = ${workerId}::uuid and level = 'town' and status = 'employed'`.execute(db);
  return worker.rows[0]?.town_id ?? null;
}

/** Whether the id names a worker ever registered (one who left still is). */
export async function isRegisteredWorker(db: Db, workerId: string): Promise<boolean> {
  const found = await sql<{ one: number }>`select 1 as one from rm_workers where id = ${workerId}::uuid limit 1`.execute(db);
  return found.rows.length > 0;
}

/** The ids of the employed workers of a level, as a subquery (`worker_id in (…)`). */
export const employedWorkerIds = (db: Db, level: 'county' | 'town' | 'village') =>
  db.selectFrom('rm_workers').select('id').where('level', '=', level).where('status', '=', 'employed');

export type WorkerIdsQuery = ReturnType<typeof employedWorkerIds>;
