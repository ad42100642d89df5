import type { Database } from '../../storage/database';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../../application/pagination';
import { FindingCauseSchema, SeveritySchema, SourceSchema, type FindingCause, type Severity, type Source } from '../../domain/detection/vocabulary';
import { placedFindings, scopeFilter, type PlacedFindingRow, type PlaceScope } from './placed-findings.sql';
import { day, iso, json } from './rows';

export interface FindingRecord {
  id: string;
  taskId: string;
  streamId: string;
  personId: string;
  idNumber: string;
  name: string;
  cause: FindingCause;
  indicatedCauses: string[];
  severity: Severity;
  raisedOn: string;
  matched: boolean;
  householdId: string | null;
  groupId: string | null;
  villageId: string | null;
  townId: string | null;
  source: Source;
  importId: string;
  row: number;
  reasons: string[];
  policyVersion: number;
  escalations: number;
  reopened: number;
  task: {
    id: string;
    status: 'open' | 'closed';
    deadline: string;
    overdue: boolean;
    assigneeId: string | null;
    outcome: ({ kind: string; on: string; recordedBy: string } & Record<string, unknown>) | null;
  };
  updatedAt: string;
}

export const findingRecord = (r: PlacedFindingRow): FindingRecord => ({
  id: r.id,
  taskId: r.task_id,
  streamId: r.stream_id,
  personId: r.person_id,
  idNumber: r.id_number,
  name: r.name,
  cause: FindingCauseSchema.parse(r.cause),
  indicatedCauses: json<string[]>(r.indicated_causes),
  severity: SeveritySchema.parse(r.severity),
  raisedOn: day(r.raised_on)!,
  matched: r.matched,
  householdId: r.current_household_id ?? null,
  groupId: r.place_group_id ?? null,
  villageId: r.place_village_id ?? null,
  townId: r.place_town_id ?? null,
  source: SourceSchema.parse(r.source),
  importId: r.import_id,
  row: Number(r.row_no),
  reasons: json<string[]>(r.reasons),
  policyVersion: Number(r.policy_version),
  escalations: Number(r.escalations),
  reopened: Number(r.reopened),
  task: {
    id: r.task_id,
    status: r.status === 'closed' ? 'closed' : 'open',
    deadline: day(r.deadline)!,
    overdue: r.overdue === true,
    assigneeId: r.assignee_id ?? null,
    outcome: r.outcome ? { kind: r.outcome, on: day(r.outcome_on)!, recordedBy: r.closed_by ?? '', ...json<Record<string, unknown>>(r.outcome_detail) } : null,
  },
  updatedAt: iso(r.updated_at)!,
});

export interface FindingFilter {
  cause?: string;
  severity?: string;
  status?: 'open' | 'closed';
  source?: string;
  importId?: string;
  householdId?: string;
  groupId?: string;
  villageId?: string;
  townId?: string;
  /** true: only findings in no group (the unplaced queue); false: only placed ones. */
  unplaced?: boolean;
  matched?: boolean;
  from?: string;
  to?: string;
}

function findingWhere(filter: FindingFilter): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [];
  if (filter.cause) where.push(sql`x.cause = ${filter.cause}`);
  if (filter.severity) where.push(sql`x.severity = ${filter.severity}`);
  if (filter.status) where.push(sql`x.status = ${filter.status}`);
  if (filter.source) where.push(sql`x.source = ${filter.source}`);
  if (filter.importId) where.push(sql`x.import_id = ${filter.importId}::uuid`);
  if (filter.householdId) where.push(sql`x.current_household_id = ${filter.householdId}::uuid`);
  if (filter.groupId) where.push(sql`x.place_group_id = ${filter.groupId}::uuid`);
  if (filter.villageId) where.push(sql`x.place_village_id = ${filter.villageId}::uuid`);
  if (filter.townId) where.push(sql`x.place_town_id = ${filter.townId}::uuid`);
  if (filter.unplaced !== undefined) where.push(filter.unplaced ? sql`x.place_group_id is null` : sql`x.place_group_id is not null`);
  if (filter.matched !== undefined) where.push(sql`x.matched = ${filter.matched}`);
  if (filter.from) where.push(sql`x.raised_on >= ${filter.from}::date`);
  if (filter.to) where.push(sql`x.raised_on <= ${filter.to}::date`);
  return where;
}

/** Newest first; keyset on (raised_on, id). */
export async function listFindings(
  db: Kysely<Database>,
  filter: FindingFilter,
  scope: PlaceScope,
  today: string,
  page: PageRequest,
): Promise<Page<FindingRecord>> {
  const after = decodeCursor<{ raisedOn: string; id: string }>(page.cursor);
  const where = [scopeFilter(scope), ...findingWhere(filter)];
  if (after) where.push(sql`(x.raised_on, x.id) < (${after.raisedOn}::date, ${after.id}::uuid)`);
  const rows =
    await sql<PlacedFindingRow>`select * from (${placedFindings(today)}) x where ${sql.join(where, sql` and `)} order by x.raised_on desc, x.id desc limit ${page.limit + 1}`.execute(
      db,
    );
  const items = rows.rows.slice(0, page.limit).map(findingRecord);
  const last = items.at(-1);
  return { items, nextCursor: rows.rows.length > page.limit && last ? encodeCursor({ raisedOn: last.raisedOn, id: last.id }) : null };
}

/** One finding, by its id or its task's id. */
export async function getFinding(db: Kysely<Database>, by: { findingId: string } | { taskId: string }, today: string): Promise<FindingRecord | null> {
  const where = 'findingId' in by ? sql`x.id = ${by.findingId}::uuid` : sql`x.task_id = ${by.taskId}::uuid`;
  const rows = await sql<PlacedFindingRow>`select * from (${placedFindings(today)}) x where ${where}`.execute(db);
  return rows.rows[0] ? findingRecord(rows.rows[0]) : null;
}

/** Findings per month raised, cause and outcome (open while the task has none). */
export async function findingStats(db: Kysely<Database>, from: string, to: string, scope: PlaceScope, today: string) {
  const rows = await sql<{ month: string; cause: string; outcome: string; n: string | number }>`
    select to_char(x.raised_on, 'YYYY-MM') as month, x.cause, coalesce(x.outcome, 'open') as outcome, count(*) as n
    from (${placedFindings(today)}) x
    where ${scopeFilter(scope)} and x.raised_on >= ${from}::date and x.raised_on <= ${to}::date
    group by 1, 2, 3 order by 1, 2, 3`.execute(db);
  return rows.rows.map((r) => ({ month: r.month, cause: r.cause, outcome: r.outcome, count: Number(r.n) }));
}
