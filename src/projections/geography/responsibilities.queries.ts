import { sql, type Expression } from 'kysely';
import type { Db } from '../../storage/database';
import { day } from '../row-values';

/**
 * Who is responsible (包保) for which villager group when: the reads of rm_group_responsibilities
 * that other slices need, so that they never name the table.
 */

/**
 * The groups a worker holds on the day with their village and town, counting only workers of
 * `among` (say, the employed village workers): one statement, for the jurisdiction of a request.
 */
export async function groupsHeldOn(
  db: Db,
  workerId: string,
  onDate: string,
  among: Expression<{ id: string }>,
): Promise<{ groupId: string; villageId: string; townId: string }[]> {
  const rows = await sql<{ group_id: string; village_id: string; town_id: string }>`
    select r.group_id, g.village_id, g.town_id from rm_group_responsibilities r join rm_groups g on g.id = r.group_id
    where r.worker_id = ${workerId}::uuid and r.worker_id in (${among})
      and r.from_date <= ${onDate}::date and (r.to_date is null or r.to_date > ${onDate}::date)`.execute(db);
  return rows.rows.map((r) => ({ groupId: r.group_id, villageId: r.village_id, townId: r.town_id }));
}

/**
 * Groups the worker is responsible for on a day (`heldOnDay`: held on that day), or on it or
 * later (default: what a leaving worker must still hand over, future assignments included).
 */
export async function groupsResponsibleOn(db: Db, workerId: string, onDate: string, heldOnDay = false): Promise<string[]> {
  const rows = await sql<{ group_id: string }>`
    select group_id from rm_group_responsibilities
    where worker_id = ${workerId}::uuid and (to_date is null or to_date > ${onDate}::date)
      ${heldOnDay ? sql`and from_date <= ${onDate}::date` : sql``}`.execute(db);
  return rows.rows.map((r) => r.group_id);
}

/** The responsibilities of these workers that overlap [from, to]. */
export async function responsibilitiesOverlapping(db: Db, workerIds: readonly string[], from: string, to: string) {
  if (workerIds.length === 0) return [];
  const rows = await sql<{ group_id: string; worker_id: string; from_date: string; to_date: string | null }>`
    select group_id, worker_id, from_date, to_date from rm_group_responsibilities
    where worker_id = any(${[...workerIds]}::uuid[]) and from_date <= ${to}::date and (to_date is null or to_date > ${from}::date)
    order by worker_id, group_id, from_date`.execute(db);
  return rows.rows.map((r) => ({ workerId: r.worker_id, groupId: r.group_id, from: day(r.from_date)!, to: day(r.to_date) }));
}

/**
 * Responsibilities as derived tables another slice's statement joins (`join ${…} r on …`): the
 * owner says which rows and columns, the caller the join, and it stays one statement (PostgreSQL
 * flattens the subquery, so the plan is the plain join's).
 */
export const responsibilityRows = sql`(select group_id, worker_id, from_date, to_date from rm_group_responsibilities)`;

/** The responsibilities in force on a day: at most one worker per group. */
export const responsibilitiesInForceOn = (onDate: string) =>
  sql`(select group_id, worker_id from rm_group_responsibilities where from_date <= ${onDate}::date and (to_date is null or to_date > ${onDate}::date))`;

/** Every responsibility a worker has held, holds or will hold, oldest first (a worker's record). */
export async function responsibilitiesOf(db: Db, workerId: string) {
  const rows = await db.selectFrom('rm_group_responsibilities').selectAll().where('worker_id', '=', workerId).orderBy('from_date').execute();
  return rows.map((g) => ({ groupId: g.group_id, from: day(g.from_date)!, to: day(g.to_date) }));
}
