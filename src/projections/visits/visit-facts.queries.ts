import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import { day } from '../row-values';

/** Facts about visits the performance metrics and the month-end report count (ids, dates, kinds). */

export async function visitsBy(db: Kysely<Database>, workerIds: readonly string[], from: string, to: string) {
  if (workerIds.length === 0) return [];
  const rows = await sql<
    Pick<Row<'rm_visits'>, 'id' | 'worker_id' | 'group_id' | 'household_id' | 'visit_date' | 'kind' | 'late'>
  >`select id, worker_id, group_id, household_id, visit_date, kind, late from rm_visits
    where worker_id = any(${[...workerIds]}::uuid[]) and visit_date between ${from}::date and ${to}::date order by visit_date, id`.execute(db);
  return rows.rows.map((r) => ({
    workerId: r.worker_id,
    visitId: r.id,
    groupId: r.group_id,
    householdId: r.household_id,
    date: day(r.visit_date)!,
    kind: r.kind,
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
  return rows.rows.map((r) => ({ visitId: r.id, householdId: r.household_id as string, date: day(r.visit_date)! }));
}

/**
 * The visits of [from, to] recorded before the cutoff, each as `group:household:date:kind`: what a
 * month-end report counts as done, reproducible later (a visit recorded afterwards is left out).
 */
export async function visitKeysRecordedBefore(db: Kysely<Database>, from: string, to: string, cutoff: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('rm_visits')
    .select(['group_id', 'household_id', 'visit_date', 'kind'])
    .where('visit_date', '>=', from)
    .where('visit_date', '<=', to)
    .where('recorded_at', '<', sql<Date>`${cutoff}::timestamptz`)
    .execute();
  return new Set(rows.map((r) => `${r.group_id}:${r.household_id ?? ''}:${day(r.visit_date)}:${r.kind}`));
}
