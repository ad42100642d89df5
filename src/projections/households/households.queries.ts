import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import type { GroupFacts, HouseholdFacts, VisitFacts } from '../../domain/schedules/due';
import type { SchedulePolicy } from '../../domain/schedules/schedule-policy';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../../application/pagination';
import { groupView, type GroupView } from '../geography/geography.queries';
import { andInIds, containing, day, inIds, json, type Aggregate } from '../row-values';

export interface MemberRecord {
  personId: string;
  name: string;
  idNumber: string;
  birthDate: string;
  sex: string;
  relation: string;
  disability: { type: string; grade: number } | null;
  seriousIllness: string | null;
  labourCapacity: string;
  schoolStatus: string | null;
}

export interface HouseholdRecord {
  id: string;
  groupId: string;
  villageId: string;
  townId: string;
  address: string | null;
  incomeStability: string;
  version: number;
  registeredOn: string;
  members: MemberRecord[];
  specialGroups: { membershipId: string; group: string; personId: string | null; riskLevel: number | null; from: string; to: string | null }[];
  circumstances: { on: string; category: string; description: string }[];
}

const memberRecord = (r: Row<'rm_household_members'>): MemberRecord => ({
  personId: r.person_id,
  name: r.name,
  idNumber: r.id_number,
  birthDate: day(r.birth_date)!,
  sex: r.sex,
  relation: r.relation,
  disability: r.disability ? json<MemberRecord['disability']>(r.disability) : null,
  seriousIllness: r.serious_illness,
  labourCapacity: r.labour_capacity,
  schoolStatus: r.school_status,
});

/** A household with the place of its group, as `householdBase` selects it. */
type HouseholdRow = Row<'rm_households'> & Pick<Row<'rm_groups'>, 'village_id' | 'town_id'>;

async function hydrate(db: Kysely<Database>, rows: HouseholdRow[]): Promise<HouseholdRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [members, memberships, changes] = await Promise.all([
    sql<
      Row<'rm_household_members'>
    >`select * from rm_household_members where household_id = any(${ids}::uuid[]) order by (relation = 'head') desc, birth_date`.execute(db),
    sql<Row<'rm_special_memberships'>>`select * from rm_special_memberships where household_id = any(${ids}::uuid[]) order by from_date`.execute(db),
    sql<Row<'rm_household_changes'>>`select * from rm_household_changes where household_id = any(${ids}::uuid[]) order by version`.execute(db),
  ]);
  return rows.map((r) => ({
    id: r.id,
    groupId: r.group_id,
    villageId: r.village_id,
    townId: r.town_id,
    address: r.address,
    incomeStability: r.income_stability,
    version: Number(r.version),
    registeredOn: day(r.registered_on)!,
    members: members.rows.filter((m) => m.household_id === r.id).map(memberRecord),
    specialGroups: memberships.rows
      .filter((m) => m.household_id === r.id)
      .map((m) => ({ membershipId: m.id, group: m.group_kind, personId: m.person_id, riskLevel: m.risk_level, from: day(m.from_date)!, to: day(m.to_date) })),
    circumstances: changes.rows.filter((c) => c.household_id === r.id).map((c) => ({ on: day(c.on_date)!, category: c.category, description: c.description })),
  }));
}

const householdBase = sql`select h.*, g.village_id, g.town_id from rm_households h join rm_groups g on g.id = h.group_id`;

export async function getHousehold(db: Kysely<Database>, id: string): Promise<HouseholdRecord | null> {
  const rows = await sql<HouseholdRow>`${householdBase} where h.id = ${id}::uuid`.execute(db);
  return (await hydrate(db, rows.rows))[0] ?? null;
}

/** What recording a visit needs of a household (its group, how many live in it): one round trip, not getHousehold's four. */
export interface VisitTarget {
  household: { id: string; groupId: string; members: number } | null;
  group: GroupView | null;
  /** Every schedule policy version, oldest first (`schedulePolicies`). */
  policies: SchedulePolicy[];
}

/**
 * What recording a visit reads, in one round trip instead of three: the household (its group
 * and head count, as `householdForVisit`), the group with its responsible worker on the visit
 * day (as `getGroup`, of the household's group or the one named) and the schedule policies (as
 * `schedulePolicies`). A household that does not exist answers `household: null`.
 */
export async function visitTarget(db: Kysely<Database>, target: { householdId?: string; groupId?: string }, onDay: string): Promise<VisitTarget> {
  const rows = await sql<
    Row<'rm_groups'> & {
      household_id: string | null;
      household_group_id: string | null;
      household_members: string | null;
      responsible_worker_id: string | null;
      responsible_from: string | null;
      schedule_policies: unknown;
    }
  >`
    select g.*, h.id as household_id, h.group_id as household_group_id, h.members as household_members,
           r.worker_id as responsible_worker_id, r.from_date as responsible_from,
           (select coalesce(json_agg(p.body order by p.version), '[]'::json) from rm_schedule_policies p) as schedule_policies
    from (select 1) as one
    left join lateral (
      select h.id, h.group_id, (select count(*) from rm_household_members m where m.household_id = h.id) as members
      from rm_households h where h.id = ${target.householdId ?? null}::uuid
    ) h on true
    left join rm_groups g on g.id = coalesce(h.group_id, ${target.groupId ?? null}::uuid)
    left join rm_group_responsibilities r on r.group_id = g.id and r.from_date <= ${onDay}::date and (r.to_date is null or r.to_date > ${onDay}::date)
    limit 1`.execute(db);
  const row = rows.rows[0]!;
  const policies = json(row.schedule_policies) as unknown[];
  return {
    household: row.household_id ? { id: row.household_id, groupId: row.household_group_id!, members: Number(row.household_members) } : null,
    group: row.id ? groupView(row) : null,
    policies: policies.map((p) => json(p) as SchedulePolicy),
  };
}

export interface HouseholdSearch {
  name?: string;
  idNumber?: string;
  groupId?: string;
  villageId?: string;
  townId?: string;
  specialGroup?: string;
  /** Jurisdiction: restrict to these towns or groups (null = all). */
  townIds?: readonly string[] | null;
  groupIds?: readonly string[] | null;
}

export async function searchHouseholds(db: Kysely<Database>, filter: HouseholdSearch, page: PageRequest): Promise<Page<HouseholdRecord>> {
  const after = decodeCursor<{ id: string }>(page.cursor);
  const where = [sql`true`];
  if (filter.name) where.push(sql`exists (select 1 from rm_household_members m where m.household_id = h.id and m.name like ${containing(filter.name)})`);
  if (filter.idNumber)
    where.push(sql`exists (select 1 from rm_household_members m where m.household_id = h.id and m.id_number = ${filter.idNumber.toUpperCase()})`);
  if (filter.groupId) where.push(sql`h.group_id = ${filter.groupId}::uuid`);
  if (filter.villageId) where.push(sql`g.village_id = ${filter.villageId}::uuid`);
  if (filter.townId) where.push(sql`g.town_id = ${filter.townId}::uuid`);
  if (filter.specialGroup)
    where.push(
      sql`exists (select 1 from rm_special_memberships s where s.household_id = h.id and s.group_kind = ${filter.specialGroup} and (s.to_date is null or s.to_date > current_date))`,
    );
  if (filter.townIds) where.push(inIds('g.town_id', filter.townIds));
  if (filter.groupIds) where.push(inIds('h.group_id', filter.groupIds));
  if (after) where.push(sql`h.id > ${after.id}::uuid`);
  const rows = await sql<HouseholdRow>`${householdBase} where ${sql.join(where, sql` and `)} order by h.id limit ${page.limit + 1}`.execute(db);
  const items = await hydrate(db, rows.rows.slice(0, page.limit));
  return { items, nextCursor: rows.rows.length > page.limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}

/** Which of these ID numbers already belong to a household, and which. */
export async function householdsHolding(db: Kysely<Database>, idNumbers: readonly string[]): Promise<Record<string, string>> {
  if (idNumbers.length === 0) return {};
  const rows = await sql<{ id_number: string; household_id: string }>`
    select id_number, household_id from rm_household_members where id_number = any(${[...idNumbers]}::text[])`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.id_number, r.household_id]));
}

export async function schedulePolicies(db: Kysely<Database>): Promise<SchedulePolicy[]> {
  const rows = await sql<{ body: unknown }>`select body from rm_schedule_policies order by version`.execute(db);
  return rows.rows.map((r) => json(r.body) as SchedulePolicy);
}

export interface ScheduleScope {
  workerId?: string;
  villageId?: string;
  townId?: string;
  townIds?: readonly string[] | null;
  groupIds?: readonly string[] | null;
}

/** A villager group row as the facts below need it; `worker_id` is the responsible worker, if known. */
export interface GroupRow {
  id: string;
  village_id: string;
  town_id: string;
  worker_id?: string | null;
}

/**
 * The households of these groups as computeSchedule wants them: special-group memberships,
 * whether anyone can work, and the place and worker of their group. Shared by the schedule
 * queries and the performance metrics.
 */
export async function householdFacts(db: Kysely<Database>, groups: readonly GroupRow[]): Promise<HouseholdFacts[]> {
  if (groups.length === 0) return [];
  const byGroup = new Map(groups.map((g) => [g.id, g]));
  const households = (
    await sql<
      Pick<Row<'rm_households'>, 'id' | 'group_id' | 'registered_on' | 'income_stability'>
    >`select id, group_id, registered_on, income_stability from rm_households where group_id = any(${[...byGroup.keys()]}::uuid[]) order by id`.execute(db)
  ).rows;
  const householdIds = households.map((h) => h.id);
  const [memberships, able] = await Promise.all([
    sql<
      Pick<Row<'rm_special_memberships'>, 'household_id' | 'group_kind' | 'from_date' | 'to_date'>
    >`select household_id, group_kind, from_date, to_date from rm_special_memberships where household_id = any(${householdIds}::uuid[]) order by id`.execute(
      db,
    ),
    sql<{
      household_id: string;
    }>`select distinct household_id from rm_household_members where household_id = any(${householdIds}::uuid[]) and labour_capacity <> 'none'`.execute(db),
  ]);
  const ableSet = new Set(able.rows.map((r) => r.household_id));
  // Grouped once: filtering all memberships per household was quadratic over a county.
  const membershipsOf = new Map<string, HouseholdFacts['memberships']>();
  for (const m of memberships.rows) {
    let list = membershipsOf.get(m.household_id);
    if (!list) membershipsOf.set(m.household_id, (list = []));
    list.push({ group: m.group_kind as HouseholdFacts['memberships'][number]['group'], from: day(m.from_date)!, to: day(m.to_date) });
  }
  return households.map((h) => {
    const g = byGroup.get(h.group_id)!;
    return {
      householdId: h.id,
      groupId: h.group_id,
      villageId: g.village_id,
      townId: g.town_id,
      workerId: g.worker_id ?? null,
      registeredOn: day(h.registered_on)!,
      incomeStability: h.income_stability as HouseholdFacts['incomeStability'],
      anyoneAbleToWork: ableSet.has(h.id),
      memberships: membershipsOf.get(h.id) ?? [],
    };
  });
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
