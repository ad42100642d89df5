import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import { day } from '../row-values';

/** Facts about decisions the performance metrics count: who decided or started what, when. */

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
    workerId: r.decided_by,
    decisionId: r.id,
    caseId: r.case_id,
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
    caseId: r.case_id,
    decisionId: r.decision_id,
    decisionDate: day(r.decision_date)!,
    outcome: r.outcome,
  }));
}
