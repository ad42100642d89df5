import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import type { GroupFacts, HouseholdFacts, VisitFacts } from '../../domain/visits/due';
import type { SchedulePolicy } from '../../domain/visits/schedule-policy';
import { decodeCursor, encodeCursor, type PageRequest } from '../../application/pagination';
import { householdFacts } from '../households/households.queries';
import { andInIds, day, inIds, json, type Aggregate } from '../row-values';

export async function schedulePolicies(db: Kysely<Database>): Promise<SchedulePolicy[]> {
  const rows = await db.selectFrom('rm_schedule_policies').select('body').orderBy('version').execute();
  return rows.map((r) => json<SchedulePolicy>(r.body));
}

/** `schedulePolicies` as a sub-select of a larger statement (visit-lookups.queries.ts): a json array, oldest version first. */
export const SCHEDULE_POLICIES_JSON_SQL = `(select coalesce(json_agg(p.body order by p.version), '[]'::json) from rm_schedule_policies p)`;

export interface ScheduleScope {
  workerId?: string;
  villageId?: string;
  townId?: string;
  townIds?: readonly string[] | null;
  groupIds?: readonly string[] | null;
}

/** Facts the schedule is computed from, for the groups in scope, with the responsible worker today. */
export async function scheduleFacts(
  db: Kysely<Database>,
  scope: ScheduleScope,
  today: string,
  since: string,
): Promise<{ groups: GroupFacts[]; households: HouseholdFacts[]; visits: VisitFacts[] }> {
  const where = [sql`g.status = 'active'`];
  if (scope.villageId) where.push(sql`g.village_id = ${scope.villageId}::uuid`);
  if (scope.townId) where.push(sql`g.town_id = ${scope.townId}::uuid`);
  if (scope.townIds) where.push(inIds('g.town_id', scope.townIds));
  if (scope.groupIds) where.push(inIds('g.id', scope.groupIds));
  if (scope.workerId) where.push(sql`r.worker_id = ${scope.workerId}::uuid`);
  const groups = (
    await sql<Pick<Row<'rm_groups'>, 'id' | 'village_id' | 'town_id' | 'registered_at'> & { worker_id: string | null }>`
      select g.id, g.village_id, g.town_id, g.registered_at, r.worker_id
      from rm_groups g
      left join rm_group_responsibilities r on r.group_id = g.id and r.from_date <= ${today}::date and (r.to_date is null or r.to_date > ${today}::date)
      where ${sql.join(where, sql` and `)}`.execute(db)
  ).rows;
  const groupIds = groups.map((g) => g.id);
  if (groupIds.length === 0) return { groups: [], households: [], visits: [] };

  const [households, visits] = await Promise.all([
    householdFacts(db, groups),
    sql<Pick<Row<'rm_visits'>, 'group_id' | 'household_id' | 'visit_date' | 'kind'>>`select group_id, household_id, visit_date, kind from rm_visits
             where group_id = any(${groupIds}::uuid[]) and (visit_date >= ${since}::date or kind = 'review') and visit_date <= ${today}::date`.execute(db),
  ]);
  return {
    groups: groups.map((g) => ({
      groupId: g.id,
      villageId: g.village_id,
      townId: g.town_id,
      workerId: g.worker_id,
      registeredOn: new Date(g.registered_at).toISOString().slice(0, 10),
    })),
    households,
    visits: visits.rows.map((v) => ({ groupId: v.group_id, householdId: v.household_id, date: day(v.visit_date)!, kind: v.kind })),
  };
}

export interface VisitFilter {
  workerId?: string;
  householdId?: string;
  groupId?: string;
  from?: string;
  to?: string;
  kind?: string;
  townIds?: readonly string[] | null;
  groupIds?: readonly string[] | null;
}

export async function listVisits(db: Kysely<Database>, filter: VisitFilter, page: PageRequest) {
  const after = decodeCursor<{ date: string; id: string }>(page.cursor);
  const where = [sql`true`];
  if (filter.workerId) where.push(sql`v.worker_id = ${filter.workerId}::uuid`);
  if (filter.householdId) where.push(sql`v.household_id = ${filter.householdId}::uuid`);
  if (filter.groupId) where.push(sql`v.group_id = ${filter.groupId}::uuid`);
  if (filter.from) where.push(sql`v.visit_date >= ${filter.from}::date`);
  if (filter.to) where.push(sql`v.visit_date <= ${filter.to}::date`);
  if (filter.kind) where.push(sql`v.kind = ${filter.kind}`);
  if (filter.townIds) where.push(inIds('g.town_id', filter.townIds));
  if (filter.groupIds) where.push(inIds('v.group_id', filter.groupIds));
  if (after) where.push(sql`(v.visit_date, v.id) < (${after.date}::date, ${after.id}::uuid)`);
  const rows = (
    await sql<
      Row<'rm_visits'> & Pick<Row<'rm_groups'>, 'village_id' | 'town_id'>
    >`select v.*, g.village_id, g.town_id from rm_visits v join rm_groups g on g.id = v.group_id
                   where ${sql.join(where, sql` and `)} order by v.visit_date desc, v.id desc limit ${page.limit + 1}`.execute(db)
  ).rows;
  const items = rows.slice(0, page.limit).map((v) => ({
    id: v.id,
    workerId: v.worker_id,
    householdId: v.household_id,
    groupId: v.group_id,
    villageId: v.village_id,
    townId: v.town_id,
    date: day(v.visit_date)!,
    kind: v.kind,
    findings: v.findings,
    followUpActions: json<string[]>(v.follow_up_actions),
    peopleServed: Number(v.people_served),
    late: v.late,
    recordedAt: new Date(v.recorded_at).toISOString(),
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ date: last.date, id: last.id }) : null };
}

/** Visits and person-times (人次) per month and town. */
export async function visitStats(
  db: Kysely<Database>,
  from: string,
  to: string,
  scope: { townIds: readonly string[] | null; groupIds: readonly string[] | null },
) {
  const rows = await sql<{ month: string; town_id: string; visits: Aggregate; person_times: Aggregate; households: Aggregate }>`
    select to_char(v.visit_date, 'YYYY-MM') as month, g.town_id, count(*) as visits, sum(v.people_served) as person_times,
           count(distinct v.household_id) as households
    from rm_visits v join rm_groups g on g.id = v.group_id
    where v.visit_date >= ${from}::date and v.visit_date <= ${to}::date ${andInIds('g.town_id', scope.townIds)} ${andInIds('v.group_id', scope.groupIds)}
    group by 1, 2 order by 1, 2`.execute(db);
  return rows.rows.map((r) => ({
    month: r.month,
    townId: r.town_id,
    visits: Number(r.visits),
    personTimes: Number(r.person_times),
    households: Number(r.households),
  }));
}

/**
 * The facts of these groups (null: every active group) as the query-time schedule reads them,
 * with each household's own visits wherever they were recorded (a household that moved keeps
 * its visit history), so a group's items never depend on which other groups are computed with it.
 */
export async function scheduleFactsOf(db: Kysely<Database>, groupIds: readonly string[] | null, today: string, since: string) {
  const groups = (
    await sql<Pick<Row<'rm_groups'>, 'id' | 'village_id' | 'town_id' | 'registered_at'> & { worker_id: string | null }>`
      select g.id, g.village_id, g.town_id, g.registered_at, r.worker_id
      from rm_groups g
      left join rm_group_responsibilities r on r.group_id = g.id and r.from_date <= ${today}::date and (r.to_date is null or r.to_date > ${today}::date)
      where g.status = 'active' ${groupIds ? sql`and ${inIds('g.id', groupIds)}` : sql``}`.execute(db)
  ).rows;
  if (groups.length === 0) return { groups: [], households: [], visits: [] };
  const households = await householdFacts(db, groups);
  const window = sql`(visit_date >= ${since}::date or kind = 'review') and visit_date <= ${today}::date`;
  const visits = groupIds
    ? await sql<Pick<Row<'rm_visits'>, 'group_id' | 'household_id' | 'visit_date' | 'kind'>>`
        select group_id, household_id, visit_date, kind from rm_visits
        where (${inIds(
          'group_id',
          groups.map((g) => g.id),
        )} or ${inIds(
          'household_id',
          households.map((h) => h.householdId),
        )}) and ${window}`.execute(db)
    : await sql<Pick<Row<'rm_visits'>, 'group_id' | 'household_id' | 'visit_date' | 'kind'>>`
        select group_id, household_id, visit_date, kind from rm_visits where ${window}`.execute(db);
  return {
    groups: groups.map((g) => ({
      groupId: g.id,
      villageId: g.village_id,
      townId: g.town_id,
      workerId: g.worker_id,
      registeredOn: new Date(g.registered_at).toISOString().slice(0, 10),
    })),
    households,
    visits: visits.rows.map((v): VisitFacts => ({ groupId: v.group_id, householdId: v.household_id, date: day(v.visit_date)!, kind: v.kind })),
  };
}
