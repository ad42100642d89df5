import type { Database, Row } from '../../storage/database';
import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';
import type { HouseholdFacts } from '../../domain/visits/due';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../../application/pagination';
import { containing, day, inIds, json } from '../row-values';

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

const memberRecord = (r: Omit<Row<'rm_household_members'>, 'household_id' | 'name_chars'>): MemberRecord => ({
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

/**
 * A household with the place of its group and its members, memberships and recorded changes as
 * json arrays, as `households` selects it: one statement a page (issue 20: the three follow-up
 * reads by id cost a round trip each, and on a busy host a round trip's socket calls cost more
 * CPU than the rows).
 */
type HouseholdRow = Row<'rm_households'> & Pick<Row<'rm_groups'>, 'village_id' | 'town_id'> & { members: unknown; memberships: unknown; changes: unknown };

/**
 * The households `page` selects (a query of `rm_households h join rm_groups g` giving `h.*,
 * g.village_id, g.town_id`, already limited), each with its members (the head first, then by
 * birth date), special-group memberships (by start) and changes (by version). The aggregates run
 * outside the page's query, so only the rows of the page are assembled.
 */
const withParts = (page: RawBuilder<unknown>) => sql`
  select p.*,
    (select coalesce(json_agg(m order by (m.relation = 'head') desc, m.birth_date), '[]')
       from (select person_id, name, id_number, birth_date, sex, relation, disability, serious_illness, labour_capacity, school_status
             from rm_household_members where household_id = p.id) m) as members,
    (select coalesce(json_agg(s order by s.from_date), '[]')
       from (select id, group_kind, person_id, risk_level, from_date, to_date from rm_special_memberships where household_id = p.id) s) as memberships,
    (select coalesce(json_agg(c order by c.version), '[]')
       from (select version, on_date, category, description from rm_household_changes where household_id = p.id) c) as changes
  from (${page}) p`;

type MemberPart = Omit<Row<'rm_household_members'>, 'household_id' | 'name_chars'>;
type MembershipPart = Omit<Row<'rm_special_memberships'>, 'household_id'>;
type ChangePart = Omit<Row<'rm_household_changes'>, 'household_id'>;

const householdRecord = (r: HouseholdRow): HouseholdRecord => ({
  id: r.id,
  groupId: r.group_id,
  villageId: r.village_id,
  townId: r.town_id,
  address: r.address,
  incomeStability: r.income_stability,
  version: Number(r.version),
  registeredOn: day(r.registered_on)!,
  members: json<MemberPart[]>(r.members).map(memberRecord),
  specialGroups: json<MembershipPart[]>(r.memberships).map((m) => ({
    membershipId: m.id,
    group: m.group_kind,
    personId: m.person_id,
    riskLevel: m.risk_level,
    from: day(m.from_date)!,
    to: day(m.to_date),
  })),
  circumstances: json<ChangePart[]>(r.changes).map((c) => ({ on: day(c.on_date)!, category: c.category, description: c.description })),
});

const householdBase = sql`select h.*, g.village_id, g.town_id from rm_households h join rm_groups g on g.id = h.group_id`;

export async function getHousehold(db: Kysely<Database>, id: string): Promise<HouseholdRecord | null> {
  const rows = await sql<HouseholdRow>`${withParts(sql`${householdBase} where h.id = ${id}::uuid`)}`.execute(db);
  return rows.rows[0] ? householdRecord(rows.rows[0]) : null;
}

/**
 * Where a household lives (its group, village and town) or null: what a command's jurisdiction
 * check needs, without getHousehold's members, memberships and changes.
 */
export async function householdArea(db: Kysely<Database>, id: string): Promise<{ groupId: string; villageId: string; townId: string } | null> {
  const rows = await sql<{ group_id: string; village_id: string; town_id: string }>`
    select h.group_id, g.village_id, g.town_id from rm_households h join rm_groups g on g.id = h.group_id where h.id = ${id}::uuid`.execute(db);
  const row = rows.rows[0];
  return row ? { groupId: row.group_id, villageId: row.village_id, townId: row.town_id } : null;
}

/** How many live in the household `h` (a sub-select of the reads a visit makes). */
const MEMBERS_OF_H = '(select count(*) from rm_household_members m where m.household_id = h.id)';

/** What recording a visit needs of a household (its group, how many live in it): one round trip, not getHousehold's four. */
/** Every visit reads it: the text written once, nothing built per call. */
const HOUSEHOLD_FOR_VISIT = `select h.id, h.group_id, ${MEMBERS_OF_H} as members from rm_households h where h.id = $1::uuid`;

export async function householdForVisit(db: Kysely<Database>, id: string): Promise<{ id: string; groupId: string; members: number } | null> {
  const rows = await db.executeQuery<{ id: string; group_id: string; members: string }>(CompiledQuery.raw(HOUSEHOLD_FOR_VISIT, [id]));
  const row = rows.rows[0];
  return row ? { id: row.id, groupId: row.group_id, members: Number(row.members) } : null;
}

/** A household as recording a visit needs it: its group and how many members. */
export type HouseholdForVisit = { id: string; groupId: string; members: number };

/**
 * `householdForVisit` as a sub-select of a larger statement (visit-lookups.queries.ts reads the
 * household, its group and the schedule policies at once): a json object with id, group_id and
 * members, or null, for the household whose uuid is the parameter `param` (`$1`).
 */
export const householdForVisitJsonSql = (param: string) =>
  `(select json_build_object('id', h.id, 'group_id', h.group_id, 'members', ${MEMBERS_OF_H}) from rm_households h where h.id = ${param}::uuid)`;

/** The group of the household whose uuid is the parameter `param`, as a sub-select (null when there is none). */
export const householdGroupIdSql = (param: string) => `(select h.group_id from rm_households h where h.id = ${param}::uuid)`;

/** `householdForVisit` for many households in one read; a household that does not exist is absent. */
export async function householdsForVisit(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, HouseholdForVisit>> {
  const found = new Map<string, HouseholdForVisit>();
  if (ids.length === 0) return found;
  const rows = await sql<{ id: string; group_id: string; members: string }>`
    select h.id, h.group_id, ${sql.raw(MEMBERS_OF_H)} as members
    from rm_households h where h.id = any(${[...new Set(ids)]}::uuid[])`.execute(db);
  for (const row of rows.rows) found.set(row.id, { id: row.id, groupId: row.group_id, members: Number(row.members) });
  return found;
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
  // A name: the households with a member whose name holds every character of the text (the GIN
  // index of migration 0176) and contains it, in id order, before any household is read; the page
  // then reads only as many households as it keeps (a semi-join read every match, then sorted).
  const afterNamed = after ? sql`and m.household_id > ${after.id}::uuid` : sql``;
  const from = filter.name
    ? sql`select h.*, g.village_id, g.town_id from (select distinct m.household_id from rm_household_members m
        where m.name_chars @> string_to_array(${filter.name}, null) and m.name like ${containing(filter.name)} ${afterNamed}
        order by m.household_id offset 0) named
        join rm_households h on h.id = named.household_id join rm_groups g on g.id = h.group_id`
    : householdBase;
  const rows = await sql<HouseholdRow>`
    ${withParts(sql`${from} where ${sql.join(where, sql` and `)} order by h.id limit ${page.limit + 1}`)} order by p.id`.execute(db);
  const items = rows.rows.slice(0, page.limit).map(householdRecord);
  return { items, nextCursor: rows.rows.length > page.limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}

/** Which of these ID numbers already belong to a household, and which. */
export async function householdsHolding(db: Kysely<Database>, idNumbers: readonly string[]): Promise<Record<string, string>> {
  if (idNumbers.length === 0) return {};
  const rows = await sql<{ id_number: string; household_id: string }>`
    select id_number, household_id from rm_household_members where id_number = any(${[...idNumbers]}::text[])`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.id_number, r.household_id]));
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

/** The villager group of each of these households that exists (one row per household found). */
export async function groupsOfHouseholds(db: Kysely<Database>, householdIds: readonly string[]): Promise<string[]> {
  const rows = await sql<{ group_id: string }>`select group_id from rm_households where id = any(${[...householdIds]}::uuid[])`.execute(db);
  return rows.rows.map((r) => r.group_id);
}

/** The households living in a villager group, by id (a group cannot be retired under them). */
export async function householdIdsInGroup(db: Kysely<Database>, groupId: string): Promise<string[]> {
  const households = await db.selectFrom('rm_households').select('id').where('group_id', '=', groupId).orderBy('id').execute();
  return households.map((h) => h.id);
}

/** Each household's head's name, whole (the caller masks it); a household without a head by its eldest member. */
export async function householdHeadNames(db: Kysely<Database>, householdIds: readonly string[]): Promise<Map<string, string>> {
  if (householdIds.length === 0) return new Map();
  const rows = await sql<{ household_id: string; name: string }>`
    select distinct on (household_id) household_id, name from rm_household_members
    where ${inIds('household_id', householdIds)} order by household_id, (relation = 'head') desc, birth_date`.execute(db);
  return new Map(rows.rows.map((r) => [r.household_id, r.name]));
}
