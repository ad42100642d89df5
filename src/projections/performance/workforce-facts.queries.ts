import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import type { GroupFacts, HouseholdFacts } from '../../domain/visits/due';
import { householdFacts } from '../households/households.queries';
import { day } from '../row-values';

/**
 * Facts the performance metrics read from other modules' read models (workforce, households
 * and visits, assistance). Only ids, dates and the fields the rules need: no names, ID numbers
 * or health data of households ever leave here.
 */

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

export async function responsibilities(db: Kysely<Database>, workerIds: readonly string[], from: string, to: string) {
  if (workerIds.length === 0) return [];
  const rows = await sql<
    Pick<Row<'rm_group_responsibilities'>, 'group_id' | 'worker_id' | 'from_date' | 'to_date'>
  >`select group_id, worker_id, from_date, to_date from rm_group_responsibilities
    where worker_id = any(${[...workerIds]}::uuid[]) and from_date <= ${to}::date and (to_date is null or to_date > ${from}::date) order by worker_id, group_id, from_date`.execute(
    db,
  );
  return rows.rows.map((r) => ({ workerId: r.worker_id as string, groupId: r.group_id as string, from: day(r.from_date)!, to: day(r.to_date) }));
}

/** Groups and their households as `computeSchedule` wants them (workerId is filled per assignment by the caller). */
export async function groupsAndHouseholds(db: Kysely<Database>, groupIds: readonly string[]): Promise<{ groups: GroupFacts[]; households: HouseholdFacts[] }> {
  if (groupIds.length === 0) return { groups: [], households: [] };
  const ids = [...groupIds];
  const groups = (
    await sql<
      Pick<Row<'rm_groups'>, 'id' | 'village_id' | 'town_id' | 'registered_at'>
    >`select id, village_id, town_id, registered_at from rm_groups where id = any(${ids}::uuid[])`.execute(db)
  ).rows;
  return {
    groups: groups.map((g) => ({
      groupId: g.id,
      villageId: g.village_id,
      townId: g.town_id,
      workerId: null,
      registeredOn: new Date(g.registered_at).toISOString().slice(0, 10),
    })),
    households: await householdFacts(db, groups),
  };
}

export async function visitsBy(db: Kysely<Database>, workerIds: readonly string[], from: string, to: string) {
  if (workerIds.length === 0) return [];
  const rows = await sql<
    Pick<Row<'rm_visits'>, 'id' | 'worker_id' | 'group_id' | 'household_id' | 'visit_date' | 'kind' | 'late'>
  >`select id, worker_id, group_id, household_id, visit_date, kind, late from rm_visits
    where worker_id = any(${[...workerIds]}::uuid[]) and visit_date between ${from}::date and ${to}::date order by visit_date, id`.execute(db);
  return rows.rows.map((r) => ({
    workerId: r.worker_id as string,
    visitId: r.id as string,
    groupId: r.group_id as string,
    householdId: r.household_id as string | null,
    date: day(r.visit_date)!,
    kind: r.kind as string,
    late: !!r.late,
  }));
}

export async function reviewVisits(db: Kysely<Database>, householdIds: readonly string[], to: string) {
  if (householdIds.length === 0) return [];
  const rows = await sql<
    Pick<Row<'rm_visits'>, 'id' | 'household_id' | 'visit_date'>
  >`select id, household_id, visit_date from rm_visits where kind = 'review' and household_id = any(${[...householdIds]}::uuid[]) and visit_date <= ${to}::date order by visit_date, id`.execute(
    db,
  );
  return rows.rows.map((r) => ({ visitId: r.id as string, householdId: r.household_id as string, date: day(r.visit_date)! }));
}

/** Initial decisions taken by these actors (decided_by is the deciding worker's actor id). */
export async function initialDecisionsBy(db: Kysely<Database>, workerIds: readonly string[], from: string, to: string) {
  if (workerIds.length === 0) return [];
  const rows = await sql<
    Pick<Row<'rm_decisions'>, 'id' | 'case_id' | 'decision_date' | 'decided_by'> & Pick<Row<'rm_cases'>, 'review_due_on'>
  >`select d.id, d.case_id, d.decision_date, d.decided_by, c.review_due_on from rm_decisions d join rm_cases c on c.id = d.case_id
    where d.kind = 'initial' and d.decided_by = any(${[...workerIds]}::text[]) and d.decision_date between ${from}::date and ${to}::date order by d.decision_date, d.id`.execute(
    db,
  );
  return rows.rows.map((r) => ({
    workerId: r.decided_by as string,
    decisionId: r.id as string,
    caseId: r.case_id as string,
    decisionDate: day(r.decision_date)!,
    reviewDueOn: day(r.review_due_on),
  }));
}

/** Cases the workers started (政策找人), with their first initial/emergency decision in the range. */
export async function submissionsBy(db: Kysely<Database>, workerIds: readonly string[], from: string, to: string) {
  if (workerIds.length === 0) return [];
  const rows = await sql<
    Pick<Row<'rm_cases'>, 'started_by_worker_id'> & Pick<Row<'rm_decisions'>, 'decision_date' | 'outcome'> & { case_id: string; decision_id: string }
  >`
    select c.id as case_id, c.started_by_worker_id, d.id as decision_id, d.decision_date, d.outcome
    from rm_cases c
    join lateral (select * from rm_decisions x where x.case_id = c.id and x.kind in ('initial', 'emergency_grant') order by x.decision_date, x.recorded_at, x.id limit 1) d on true
    where c.started_by_worker_id = any(${[...workerIds]}::uuid[]) and d.decision_date between ${from}::date and ${to}::date order by d.decision_date, c.id`.execute(
    db,
  );
  return rows.rows.map((r) => ({
    workerId: r.started_by_worker_id as string,
    caseId: r.case_id as string,
    decisionId: r.decision_id as string,
    decisionDate: day(r.decision_date)!,
    outcome: r.outcome as string,
  }));
}

export async function trainingSessions(db: Kysely<Database>, from: string, to: string) {
  const sessions = (
    await sql<
      Pick<Row<'rm_training_sessions'>, 'id' | 'held_on'>
    >`select id, held_on from rm_training_sessions where held_on between ${from}::date and ${to}::date order by held_on, id`.execute(db)
  ).rows;
  const ids = sessions.map((s) => s.id as string);
  const attendance = ids.length
    ? (await sql<Row<'rm_training_attendance'>>`select session_id, worker_id from rm_training_attendance where session_id = any(${ids}::uuid[])`.execute(db))
        .rows
    : [];
  const attended = new Set(attendance.map((a) => `${a.session_id}:${a.worker_id}`));
  return {
    sessions: sessions.map((s) => ({ sessionId: s.id as string, heldOn: day(s.held_on)! })),
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
    pairId: r.id as string,
    mentorId: r.mentor_id as string,
    menteeId: r.mentee_id as string,
    from: day(r.from_date)!,
    to: day(r.to_date),
  }));
}
