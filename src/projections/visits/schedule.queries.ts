import { sql, type Kysely } from 'kysely';
import type { InlineStatement } from '../../application/event-store';
import { decodeCursor, encodeCursor } from '../../application/pagination';
import { addMonths, firstDayOf, monthOf } from '../../domain/calendar/calendar-months';
import { computeSchedule, type DueItem } from '../../domain/visits/due';
import { type SchedulePolicy } from '../../domain/visits/schedule-policy';
import type { Database, Row } from '../../storage/database';
import { scheduleFactsOf, schedulePolicies, type ScheduleScope } from './visits.queries';
import { groupNames } from '../geography/geography.queries';
import { householdHeadNames } from '../households/households.queries';
import { day, inIds, num, type Aggregate } from '../row-values';

/**
 * The schedule read model (rm_schedule_items) holds computeSchedule's items for every active
 * group and its households as of one day (rm_schedule_state.as_of) under one policy version.
 * Events move the rows of the groups they touch (schedule.projection.ts); a read on another day,
 * or after a new policy version, rebuilds the whole model once, beside the live rows (schedule-rollover.ts).
 */

const INSERT_BATCH = 1_000;
/** The first key of the two-key advisory locks that serialise writers of one group's rows. */
const SCHEDULE_LOCK_CLASS = 20;

export interface ScheduleState {
  asOf: string | null;
  policyVersion: number | null;
}

/** The day and policy version the rows hold; `forShare` holds a rebuild off until the caller commits. */
export async function scheduleState(db: Kysely<Database>, forShare = false): Promise<ScheduleState> {
  const row = (
    await sql<Pick<Row<'rm_schedule_state'>, 'as_of' | 'policy_version'>>`
      select as_of, policy_version from rm_schedule_state where id = 1 ${forShare ? sql`for share` : sql``}`.execute(db)
  ).rows[0];
  return { asOf: day(row?.as_of ?? null), policyVersion: row?.policy_version ?? null };
}

/** The schedule of these groups (null: all) computed from the facts: the oracle the read model must equal. */
export async function computeScheduleOf(db: Kysely<Database>, groupIds: readonly string[] | null, today: string, policy: SchedulePolicy): Promise<DueItem[]> {
  const since = firstDayOf(monthOf(addMonths(today, -policy.overdueLookbackMonths)));
  const facts = await scheduleFactsOf(db, groupIds, today, since);
  return computeSchedule(today, policy, facts.groups, facts.households, facts.visits);
}

const itemKey = (i: DueItem) => `${i.obligation}:${i.householdId ?? i.groupId}:${i.month ?? ''}`;

export async function insertItems(db: Kysely<Database>, items: readonly DueItem[]): Promise<void> {
  for (let i = 0; i < items.length; i += INSERT_BATCH) {
    await db
      .insertInto('rm_schedule_items')
      .values(
        items.slice(i, i + INSERT_BATCH).map((item) => ({
          item_key: itemKey(item),
          obligation: item.obligation,
          group_id: item.groupId,
          village_id: item.villageId,
          town_id: item.townId,
          worker_id: item.workerId,
          household_id: item.householdId,
          month: item.month,
          due_date: item.dueDate,
          status: item.status,
          last_visit: item.lastVisit,
          interval_months: item.interval?.months ?? null,
          interval_reason: item.interval?.reason ?? null,
        })),
      )
      .onConflict((oc) => oc.column('item_key').doNothing())
      .execute();
  }
}

/** The groups an event touches, or a lookup of them run only when the model has rows to move. */
export type GroupsOf = readonly string[] | (() => Promise<readonly string[]>);

/**
 * Recompute the rows of these groups (and of the households in them) as of the model's day.
 * The state is read first: before the first read has built the model (a demo load, a fresh
 * county) an event costs this one statement, not the lookup of its household's group too.
 */
export async function refreshScheduleGroups(db: Kysely<Database>, groupsOf: GroupsOf): Promise<void> {
  const state = await scheduleState(db, true);
  if (!state.asOf || state.policyVersion === null) return; // never built, or stale: the next read rebuilds it
  const ids = [...new Set(typeof groupsOf === 'function' ? await groupsOf() : groupsOf)];
  if (ids.length === 0) return;
  const policy = (await schedulePolicies(db)).find((p) => p.version === state.policyVersion);
  if (!policy) return;
  // One recompute per group at a time (sorted: no deadlock), each after the other's commit; it
  // also waits for the visits moving the group's rows in place (they hold the lock shared).
  for (const id of ids.sort()) await sql`select pg_advisory_xact_lock(${SCHEDULE_LOCK_CLASS}::int, hashtext(${id}::text))`.execute(db);
  await sql`delete from rm_schedule_items where ${inIds('group_id', ids)}`.execute(db);
  await insertItems(db, await computeScheduleOf(db, ids, state.asOf, policy));
}

/**
 * A visit other than a review, moved into the rows in place: it marks done the month it fell in,
 * for its group and its household, with the latest visit of the month, and changes nothing else
 * computeSchedule would (a review moves the household's next review date: that recomputes the
 * group). Two statements, no recompute: the state and the group's lock held shared (visits to
 * one group do not wait for each other, a recompute of the group waits for them and they for
 * it), then one update that leaves rows already showing a visit that late alone, so visits to
 * one group in one month lock its row once.
 */
export async function markVisitInSchedule(db: Kysely<Database>, visit: { groupId: string; householdId: string | null; date: string }): Promise<void> {
  const row = (
    await sql<Pick<Row<'rm_schedule_state'>, 'as_of' | 'policy_version'>>`
      select as_of, policy_version, pg_advisory_xact_lock_shared(${SCHEDULE_LOCK_CLASS}::int, hashtext(${visit.groupId}::text)) as locked
      from rm_schedule_state where id = 1 for share`.execute(db)
  ).rows[0];
  const asOf = day(row?.as_of ?? null);
  if (!asOf || row?.policy_version == null || visit.date > asOf) return; // unbuilt, stale, or a day the model does not hold yet
  const month = monthOf(visit.date);
  const keys = [`group_monthly_visit:${visit.groupId}:${month}`];
  if (visit.householdId) keys.push(`household_monthly_visit:${visit.householdId}:${month}`);
  await sql`update rm_schedule_items set status = 'done', last_visit = ${visit.date}::date
    where item_key = any(${keys}::text[]) and (last_visit is null or last_visit < ${visit.date}::date)`.execute(db);
}

/**
 * markVisitInSchedule as a sub-statement of the visit's append (one round trip, no transaction):
 * the same state row locked shared and the same group lock taken shared (after the append's MAC
 * shard row, as in the transaction), the same keys and the same update, on the same conditions.
 */
export function markVisitStatement(visit: { groupId: string; householdId: string | null; date: string }): InlineStatement {
  const month = monthOf(visit.date);
  const keys = [`group_monthly_visit:${visit.groupId}:${month}`];
  if (visit.householdId) keys.push(`household_monthly_visit:${visit.householdId}:${month}`);
  return {
    params: [visit.date, keys, visit.groupId],
    sql: ({ inserted, shardMoved, param }) =>
      `update rm_schedule_items set status = 'done', last_visit = ${param(0)}::date ` +
      `where item_key = any(${param(1)}::text[]) and (last_visit is null or last_visit < ${param(0)}::date) and ${inserted} ` +
      `and exists (select 1 from (select as_of, policy_version, pg_advisory_xact_lock_shared(${SCHEDULE_LOCK_CLASS}::int, hashtext(${param(2)}::text)) as locked ` +
      `from rm_schedule_state where id = 1 and ${shardMoved} for share) s ` +
      `where s.as_of is not null and s.policy_version is not null and ${param(0)}::date <= s.as_of)`,
  };
}

/**
 * True once the model holds rows that events move. Until then (before the first read of the
 * schedule, through a whole demo load) its events need no transaction: the append statement
 * checks this and carries on alone. The state row is locked shared either way, so a first
 * build waits for the append and then sees its event.
 */
export const SCHEDULE_BUILT =
  'exists (select 1 from (select as_of, policy_version from rm_schedule_state where id = 1 for share) s where s.as_of is not null and s.policy_version is not null)';

/** A new policy version: the rows are stale until the next read rebuilds them. */
export async function markScheduleStale(db: Kysely<Database>): Promise<void> {
  await sql`update rm_schedule_state set policy_version = null where id = 1`.execute(db);
}

export interface ScheduleReadFilter extends ScheduleScope {
  statuses?: readonly DueItem['status'][];
  /** Only items due on or before this day. */
  dueBy?: string;
}

type ItemRow = Row<'rm_schedule_items'>;

const toItem = (r: ItemRow): DueItem => ({
  groupId: r.group_id,
  villageId: r.village_id,
  townId: r.town_id,
  workerId: r.worker_id,
  obligation: r.obligation as DueItem['obligation'],
  householdId: r.household_id,
  month: r.month,
  dueDate: day(r.due_date)!,
  status: r.status as DueItem['status'],
  lastVisit: day(r.last_visit),
  interval: r.interval_months === null ? null : { months: r.interval_months, reason: r.interval_reason ?? '' },
});

function scheduleWhere(filter: ScheduleReadFilter) {
  const where = [sql`true`];
  if (filter.statuses) where.push(sql`status = any(${[...filter.statuses]}::text[])`);
  if (filter.dueBy) where.push(sql`due_date <= ${filter.dueBy}::date`);
  if (filter.workerId) where.push(sql`worker_id = ${filter.workerId}::uuid`);
  if (filter.villageId) where.push(sql`village_id = ${filter.villageId}::uuid`);
  if (filter.townId) where.push(sql`town_id = ${filter.townId}::uuid`);
  if (filter.townIds) where.push(inIds('town_id', filter.townIds));
  if (filter.groupIds) where.push(inIds('group_id', filter.groupIds));
  return where;
}

/**
 * A caseload from the model: the items due and overdue, the groups and households of every item
 * in scope (in the order their first item falls due), and how many are done, counted in the
 * database: the done items, most of a worker's window, are never loaded (issue 20).
 */
export async function readCaseload(
  db: Kysely<Database>,
  filter: ScheduleScope,
): Promise<{ groups: string[]; households: string[]; open: DueItem[]; done: number }> {
  const where = sql.join(scheduleWhere(filter), sql` and `);
  const [places, done, open] = await Promise.all([
    sql<{ group_id: string; household_id: string | null }>`
      select group_id, household_id from rm_schedule_items where ${where}
      group by group_id, household_id order by min(due_date::text || ' ' || item_key)`.execute(db),
    sql<{ n: Aggregate }>`select count(*) as n from rm_schedule_items where ${where} and status = 'done'`.execute(db),
    sql<ItemRow>`select * from rm_schedule_items where ${where} and status <> 'done' order by due_date, item_key`.execute(db),
  ]);
  const groups = new Set<string>();
  const households = new Set<string>();
  for (const r of places.rows) {
    groups.add(r.group_id);
    if (r.household_id) households.add(r.household_id);
  }
  return { groups: [...groups], households: [...households], open: open.rows.map(toItem), done: num(done.rows[0]!.n) };
}

/** Items of the model in scope, by due date: a page when `limit` is given, else all of them; `total` counts every page. */
export async function readSchedule(
  db: Kysely<Database>,
  filter: ScheduleReadFilter,
  page: { limit?: number | undefined; cursor?: string | undefined } = {},
): Promise<{ items: DueItem[]; nextCursor: string | null; total: number }> {
  const where = scheduleWhere(filter);
  const total = (await sql<{ n: Aggregate }>`select count(*) as n from rm_schedule_items where ${sql.join(where, sql` and `)}`.execute(db)).rows[0]!.n;
  const after = decodeCursor<{ date: string; key: string }>(page.cursor);
  if (after) where.push(sql`(due_date, item_key) > (${after.date}::date, ${after.key})`);
  const limit = page.limit;
  const rows = (
    await sql<ItemRow>`
      select * from rm_schedule_items where ${sql.join(where, sql` and `)}
      order by due_date, item_key ${limit === undefined ? sql`` : sql`limit ${limit + 1}`}`.execute(db)
  ).rows;
  const shown = limit === undefined ? rows : rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    items: shown.map(toItem),
    nextCursor: limit !== undefined && rows.length > limit && last ? encodeCursor({ date: day(last.due_date)!, key: last.item_key }) : null,
    total: num(total),
  };
}

/** What a list of schedule items is shown with: each group's name and each household head's name (unmasked: the caller masks). */
export async function scheduleNames(
  db: Kysely<Database>,
  items: readonly Pick<DueItem, 'groupId' | 'householdId'>[],
): Promise<{ groups: Map<string, string>; heads: Map<string, string> }> {
  return placeNames(db, new Set(items.map((i) => i.groupId)), new Set(items.flatMap((i) => (i.householdId ? [i.householdId] : []))));
}

/** Groups' names and households' heads' names (whole: the caller masks them), by id. */
export async function placeNames(
  db: Kysely<Database>,
  groupIdSet: Iterable<string>,
  householdIdSet: Iterable<string>,
): Promise<{ groups: Map<string, string>; heads: Map<string, string> }> {
  const [groups, heads] = await Promise.all([groupNames(db, [...new Set(groupIdSet)]), householdHeadNames(db, [...new Set(householdIdSet)])]);
  return { groups, heads };
}
