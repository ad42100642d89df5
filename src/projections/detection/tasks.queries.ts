import type { Database } from '../../storage/database';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../../application/pagination';
import { findingRecord, type FindingRecord } from './findings.queries';
import { placedFindings, scopeFilter, type PlacedFindingRow, type PlaceScope } from './placed-findings.sql';
import { day } from './rows';

export interface TaskFilter {
  assigneeId?: string;
  groupId?: string;
  villageId?: string;
  townId?: string;
  status?: 'open' | 'closed';
  overdue?: boolean;
  cause?: string;
  severity?: string;
  /** true: open tasks whose group has no responsible worker today (a coverage gap) or no group. */
  unassigned?: boolean;
}

function taskWhere(filter: TaskFilter): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [];
  if (filter.assigneeId) where.push(sql`x.assignee_id = ${filter.assigneeId}`);
  if (filter.groupId) where.push(sql`x.place_group_id = ${filter.groupId}::uuid`);
  if (filter.villageId) where.push(sql`x.place_village_id = ${filter.villageId}::uuid`);
  if (filter.townId) where.push(sql`x.place_town_id = ${filter.townId}::uuid`);
  if (filter.status) where.push(sql`x.status = ${filter.status}`);
  if (filter.overdue !== undefined) where.push(filter.overdue ? sql`x.overdue` : sql`not x.overdue`);
  if (filter.cause) where.push(sql`x.cause = ${filter.cause}`);
  if (filter.severity) where.push(sql`x.severity = ${filter.severity}`);
  if (filter.unassigned !== undefined) where.push(filter.unassigned ? sql`(x.status = 'open' and x.assignee_id is null)` : sql`x.assignee_id is not null`);
  return where;
}

/** Earliest deadline first; keyset on (deadline, task id). */
export async function listTasks(db: Kysely<Database>, filter: TaskFilter, scope: PlaceScope, today: string, page: PageRequest): Promise<Page<FindingRecord>> {
  const after = decodeCursor<{ deadline: string; id: string }>(page.cursor);
  const where = [scopeFilter(scope), ...taskWhere(filter)];
  if (after) where.push(sql`(x.deadline, x.task_id) > (${after.deadline}::date, ${after.id}::uuid)`);
  const rows =
    await sql<PlacedFindingRow>`select * from (${placedFindings(today)}) x where ${sql.join(where, sql` and `)} order by x.deadline, x.task_id limit ${page.limit + 1}`.execute(
      db,
    );
  const items = rows.rows.slice(0, page.limit).map(findingRecord);
  const last = items.at(-1);
  return { items, nextCursor: rows.rows.length > page.limit && last ? encodeCursor({ deadline: last.task.deadline, id: last.taskId }) : null };
}

export type OverdueGrouping = 'worker' | 'village' | 'town';
const KEY: Record<OverdueGrouping, RawBuilder<unknown>> = {
  worker: sql`x.assignee_id`,
  village: sql`x.place_village_id::text`,
  town: sql`x.place_town_id::text`,
};

/** Open tasks past their deadline, counted per worker, village or town (null key: nobody / unplaced). */
export async function overdueSummary(db: Kysely<Database>, by: OverdueGrouping, filter: TaskFilter, scope: PlaceScope, today: string) {
  const where = [scopeFilter(scope), sql`x.overdue`, ...taskWhere(filter)];
  const rows = await sql<{ key: string | null; n: string | number; oldest: string }>`
    select ${KEY[by]} as key, count(*) as n, min(x.deadline) as oldest
    from (${placedFindings(today)}) x where ${sql.join(where, sql` and `)}
    group by 1 order by count(*) desc, 1`.execute(db);
  return rows.rows.map((r) => ({ key: r.key ?? null, overdue: Number(r.n), oldestDeadline: day(r.oldest)! }));
}
