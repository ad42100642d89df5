import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
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
export async function householdForVisit(db: Kysely<Database>, id: string): Promise<{ id: string; groupId: string; members: number } | null> {
  const rows = await sql<{ id: string; group_id: string; members: string }>`
    select h.id, h.group_id, (select count(*) from rm_household_members m where m.household_id = h.id) as members
    from rm_households h where h.id = ${id}::uuid`.execute(db);
  const row = rows.rows[0];
  return row ? { id: row.id, groupId: row.group_id, members: Number(row.members) } : null;
}

/** A household as recording a visit needs it: its group and how many members. */
export type HouseholdForVisit = { id: string; groupId: string; members: number };

/** `householdForVisit` for many households in one read; a household that does not exist is absent. */
export async function householdsForVisit(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, HouseholdForVisit>> {
  const found = new Map<string, HouseholdForVisit>();
  if (ids.length === 0) return found;
  const rows = await sql<{ id: string; group_id: string; members: string }>`
    select h.id, h.group_id, (select count(*) from rm_household_members m where m.household_id = h.id) as members
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
