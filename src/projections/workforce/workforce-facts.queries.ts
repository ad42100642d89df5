import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import { day } from '../row-values';

/** Facts about workers the performance metrics count: employment, training, mentoring (no ID numbers). */

export interface WorkerRow {
  workerId: string;
  name: string;
  level: string;
  townId: string | null;
  hiredOn: string;
  leftOn: string | null;
}

/** Workers employed on at least one day of [from, to]. */
export async function workersEmployed(db: Kysely<Database>, from: string, to: string, townId?: string): Promise<WorkerRow[]> {
  const rows = await sql<
    Pick<Row<'rm_workers'>, 'id' | 'name' | 'level' | 'town_id' | 'hired_on' | 'left_on'>
  >`select id, name, level, town_id, hired_on, left_on from rm_workers
    where hired_on <= ${to}::date and (left_on is null or left_on > ${from}::date) ${townId ? sql`and town_id = ${townId}::uuid` : sql``} order by id`.execute(
    db,
  );
  return rows.rows.map((r) => ({ workerId: r.id, name: r.name, level: r.level, townId: r.town_id, hiredOn: day(r.hired_on)!, leftOn: day(r.left_on) }));
}

export async function trainingSessions(db: Kysely<Database>, from: string, to: string) {
  const sessions = (
    await sql<
      Pick<Row<'rm_training_sessions'>, 'id' | 'held_on'>
    >`select id, held_on from rm_training_sessions where held_on between ${from}::date and ${to}::date order by held_on, id`.execute(db)
  ).rows;
  const ids = sessions.map((s) => s.id);
  const attendance = ids.length
    ? (await sql<Row<'rm_training_attendance'>>`select session_id, worker_id from rm_training_attendance where session_id = any(${ids}::uuid[])`.execute(db))
        .rows
    : [];
  const attended = new Set(attendance.map((a) => `${a.session_id}:${a.worker_id}`));
  return {
    sessions: sessions.map((s) => ({ sessionId: s.id, heldOn: day(s.held_on)! })),
    attended: (sessionId: string, workerId: string) => attended.has(`${sessionId}:${workerId}`),
  };
}

export async function mentoringPairs(db: Kysely<Database>, workerIds: readonly string[], from: string, to: string) {
  if (workerIds.length === 0) return [];
  const rows = await sql<
    Pick<Row<'rm_mentoring'>, 'id' | 'mentor_id' | 'mentee_id' | 'from_date' | 'to_date'>
  >`select id, mentor_id, mentee_id, from_date, to_date from rm_mentoring
    where (mentor_id = any(${[...workerIds]}::uuid[]) or mentee_id = any(${[...workerIds]}::uuid[])) and from_date <= ${to}::date and (to_date is null or to_date > ${from}::date) order by id`.execute(
    db,
  );
  return rows.rows.map((r) => ({
    pairId: r.id,
    mentorId: r.mentor_id,
    menteeId: r.mentee_id,
    from: day(r.from_date)!,
    to: day(r.to_date),
  }));
}

/** Every worker's name by id (report bodies name who is responsible). */
export async function workerNames(db: Kysely<Database>): Promise<Map<string, string>> {
  const workers = await db.selectFrom('rm_workers').select(['id', 'name']).execute();
  return new Map(workers.map((r) => [r.id, r.name]));
}
