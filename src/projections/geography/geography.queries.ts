import type { Database, Row } from '../../storage/database';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Page, PageRequest } from '../../application/pagination';
import { decodeCursor, encodeCursor } from '../../application/pagination';
import { householdIdsInGroup } from '../households/households.queries';
import { day, iso } from '../row-values';
import { countyWorkersLinkedTo } from '../workforce/workforce.queries';

export interface TownView {
  id: string;
  code: string;
  name: string;
  status: string;
  version: number;
  registeredAt: string;
  updatedAt: string;
}

export interface VillageView extends TownView {
  kind: 'village' | 'community';
  townId: string;
}

export interface GroupView extends TownView {
  villageId: string;
  townId: string;
  /** The responsible worker (包保) in force today, if any. */
  responsible: { workerId: string; from: string } | null;
}

/** The columns every unit of the geography shares. */
type UnitRow = Pick<Row<'rm_towns'>, 'id' | 'code' | 'name' | 'status' | 'version' | 'registered_at' | 'updated_at'>;

const base = (r: UnitRow) => ({
  id: r.id,
  code: r.code,
  name: r.name,
  status: r.status,
  version: Number(r.version),
  registeredAt: iso(r.registered_at),
  updatedAt: iso(r.updated_at),
});
const townView = (r: Row<'rm_towns'>): TownView => base(r);
const villageView = (r: Row<'rm_villages'>): VillageView => ({ ...base(r), kind: r.kind as VillageView['kind'], townId: r.town_id });
const groupView = (r: Row<'rm_groups'> & { responsible_worker_id: string | null; responsible_from: string | null }): GroupView => ({
  ...base(r),
  villageId: r.village_id,
  townId: r.town_id,
  responsible: r.responsible_worker_id ? { workerId: r.responsible_worker_id, from: day(r.responsible_from)! } : null,
});

/** Keyset page over rows ordered by code. */
async function pageByCode<R, T extends { code: string }>(rows: Promise<R[]>, page: PageRequest, map: (r: R) => T): Promise<Page<T>> {
  const fetched = await rows;
  const items = fetched.slice(0, page.limit).map(map);
  return { items, nextCursor: fetched.length > page.limit ? encodeCursor({ code: items.at(-1)!.code }) : null };
}

export async function getTown(db: Kysely<Database>, id: string): Promise<TownView | null> {
  const row = await db.selectFrom('rm_towns').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? townView(row) : null;
}

/** Jurisdiction as SQL filters: null means no restriction. */
export interface Visibility {
  townIds?: readonly string[] | null;
  villageIds?: readonly string[] | null;
  groupIds?: readonly string[] | null;
}
const inIds = (ids: readonly string[]) => (ids.length ? [...ids] : ['00000000-0000-0000-0000-000000000000']);

export async function listTowns(db: Kysely<Database>, filter: { status?: string } & Visibility, page: PageRequest): Promise<Page<TownView>> {
  const after = decodeCursor<{ code: string }>(page.cursor);
  let query = db
    .selectFrom('rm_towns')
    .selectAll()
    .orderBy('code')
    .limit(page.limit + 1);
  if (filter.townIds) query = query.where('id', 'in', inIds(filter.townIds));
  if (filter.status) query = query.where('status', '=', filter.status);
  if (after) query = query.where('code', '>', String(after.code));
  return pageByCode(query.execute(), page, townView);
}

export async function getVillage(db: Kysely<Database>, id: string): Promise<VillageView | null> {
  const row = await db.selectFrom('rm_villages').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? villageView(row) : null;
}

export async function listVillages(
  db: Kysely<Database>,
  filter: { townId?: string; status?: string } & Visibility,
  page: PageRequest,
): Promise<Page<VillageView>> {
  const after = decodeCursor<{ code: string }>(page.cursor);
  let query = db
    .selectFrom('rm_villages')
    .selectAll()
    .orderBy('code')
    .limit(page.limit + 1);
  if (filter.townIds) query = query.where('town_id', 'in', inIds(filter.townIds));
  if (filter.villageIds) query = query.where('id', 'in', inIds(filter.villageIds));
  if (filter.townId) query = query.where('town_id', '=', filter.townId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (after) query = query.where('code', '>', String(after.code));
  return pageByCode(query.execute(), page, villageView);
}

function groupsWithResponsible(db: Kysely<Database>, today: string) {
  return db
    .selectFrom('rm_groups as g')
    .leftJoin('rm_group_responsibilities as r', (join) =>
      join
        .onRef('r.group_id', '=', 'g.id')
        .on('r.from_date', '<=', sql<string>`${today}::date`)
        .on((eb) => eb.or([eb('r.to_date', 'is', null), eb('r.to_date', '>', sql<string>`${today}::date`)])),
    )
    .selectAll('g')
    .select(['r.worker_id as responsible_worker_id', 'r.from_date as responsible_from']);
}

type GroupRow = Awaited<ReturnType<ReturnType<typeof groupsWithResponsible>['executeTakeFirstOrThrow']>>;

/**
 * groupsWithResponsible(…).where('g.id', '=', …) compiled once: every visit reads its group, and
 * building and compiling the query cost more than running it. The text does not depend on the
 * values; each call puts its own in the places the builder gave the marked ones.
 */
let groupById: { sql: string; params: readonly ('today' | 'id')[] } | null = null;
function groupByIdQuery(db: Kysely<Database>, id: string, today: string): CompiledQuery<GroupRow> {
  if (!groupById) {
    const [markToday, markId] = ['\u0000today', '\u0000id'];
    const compiled = groupsWithResponsible(db, markToday).where('g.id', '=', markId).compile();
    const params = compiled.parameters.map((p) => (p === markToday ? 'today' : p === markId ? 'id' : null));
    if (params.includes(null)) throw new Error('getGroup: a parameter of the compiled query is neither the day nor the id');
    groupById = { sql: compiled.sql, params: params as ('today' | 'id')[] };
  }
  return CompiledQuery.raw(
    groupById.sql,
    groupById.params.map((p) => (p === 'today' ? today : id)),
  );
}

export async function getGroup(db: Kysely<Database>, id: string, today: string): Promise<GroupView | null> {
  const row = (await db.executeQuery(groupByIdQuery(db, id, today))).rows[0];
  return row ? groupView(row) : null;
}

/** What recording a visit needs of a group: its town and its responsible worker on the visit's day. */
export type GroupForVisit = Pick<GroupView, 'id' | 'townId' | 'responsible'>;

/**
 * `getGroup` as a sub-select of a larger statement (visit-lookups.queries.ts): a json object with
 * id, town_id, responsible_worker_id and responsible_from, or null, for the group whose id is the
 * SQL expression `groupId` on the day in the parameter `onParam`. Responsibilities do not overlap
 * (a handover ends the one before); should two, the latest is taken rather than an error.
 */
export const groupForVisitJsonSql = (groupId: string, onParam: string) =>
  `(select json_build_object('id', g.id, 'town_id', g.town_id, 'responsible_worker_id', r.worker_id, 'responsible_from', r.from_date::text)` +
  ` from rm_groups g left join rm_group_responsibilities r on r.group_id = g.id and r.from_date <= ${onParam}::date and (r.to_date is null or r.to_date > ${onParam}::date)` +
  ` where g.id = ${groupId} order by r.from_date desc nulls last limit 1)`;

/** A row of `groupForVisitJsonSql` as the service sees a group. */
export function groupForVisit(row: { id: string; town_id: string; responsible_worker_id: string | null; responsible_from: string | null }): GroupForVisit {
  return {
    id: row.id,
    townId: row.town_id,
    responsible: row.responsible_worker_id ? { workerId: row.responsible_worker_id, from: day(row.responsible_from)! } : null,
  };
}

/**
 * `getGroup` for many (group, day) pairs in one read (a batch of visits or registrations): the
 * same rows, keyed `groupKey(id, day)`; a pair whose group does not exist is absent.
 */
export async function getGroupsOn(db: Kysely<Database>, wanted: readonly { id: string; on: string }[]): Promise<Map<string, GroupView>> {
  const pairs = [...new Map(wanted.map((w) => [groupKey(w.id, w.on), w])).values()];
  const found = new Map<string, GroupView>();
  if (pairs.length === 0) return found;
  const rows = await sql<Row<'rm_groups'> & { responsible_worker_id: string | null; responsible_from: string | null; asked_on: string }>`
    select g.*, r.worker_id as responsible_worker_id, r.from_date as responsible_from, v.on_date::text as asked_on
    from unnest(${pairs.map((p) => p.id)}::uuid[], ${pairs.map((p) => p.on)}::date[]) as v(id, on_date)
    join rm_groups g on g.id = v.id
    left join rm_group_responsibilities r on r.group_id = g.id and r.from_date <= v.on_date and (r.to_date is null or r.to_date > v.on_date)`.execute(db);
  for (const row of rows.rows) {
    const { asked_on: on, ...group } = row;
    const key = groupKey(group.id, on);
    if (!found.has(key)) found.set(key, groupView(group));
  }
  return found;
}

export const groupKey = (id: string, on: string) => `${id}@${on}`;

export async function listGroups(
  db: Kysely<Database>,
  filter: { villageId?: string; townId?: string; status?: string; ids?: readonly string[] } & Visibility,
  page: PageRequest,
  today: string,
): Promise<Page<GroupView>> {
  const after = decodeCursor<{ code: string }>(page.cursor);
  let query = groupsWithResponsible(db, today)
    .orderBy('g.code')
    .limit(page.limit + 1);
  if (filter.villageId) query = query.where('g.village_id', '=', filter.villageId);
  if (filter.townId) query = query.where('g.town_id', '=', filter.townId);
  if (filter.status) query = query.where('g.status', '=', filter.status);
  if (filter.ids) query = filter.ids.length ? query.where('g.id', 'in', [...filter.ids]) : query.where(sql<boolean>`false`);
  if (filter.townIds) query = query.where('g.town_id', 'in', inIds(filter.townIds));
  if (filter.groupIds) query = query.where('g.id', 'in', inIds(filter.groupIds));
  if (after) query = query.where('g.code', '>', String(after.code));
  return pageByCode(query.execute(), page, groupView);
}

/** Open responsibilities under a unit, as `kind:id` labels a retirement refusal names. */
export async function openDependants(db: Kysely<Database>, unit: { townId?: string; villageId?: string; groupId?: string }, today: string): Promise<string[]> {
  const labels: string[] = [];
  if (unit.townId) {
    const villages = await db.selectFrom('rm_villages').select('id').where('town_id', '=', unit.townId).where('status', '=', 'active').execute();
    labels.push(...villages.map((v) => `village:${v.id}`));
    const linked = await countyWorkersLinkedTo(db, unit.townId, today);
    labels.push(...linked.map((workerId) => `county-worker-link:${workerId}`));
  }
  if (unit.villageId) {
    const groups = await db.selectFrom('rm_groups').select('id').where('village_id', '=', unit.villageId).where('status', '=', 'active').execute();
    labels.push(...groups.map((g) => `group:${g.id}`));
  }
  if (unit.groupId) {
    const open = await db
      .selectFrom('rm_group_responsibilities')
      .select('worker_id')
      .where('group_id', '=', unit.groupId)
      .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>', sql<string>`${today}::date`)]))
      .execute();
    labels.push(...open.map((r) => `responsible-worker:${r.worker_id}`));
    // Households live in a group: it cannot be retired under them (move them first).
    const households = await householdIdsInGroup(db, unit.groupId);
    labels.push(...households.map((id) => `household:${id}`));
  }
  return labels;
}

/** Every town's id, in code order. */
export async function allTownIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('rm_towns').select('id').orderBy('code').execute();
  return rows.map((t) => t.id);
}

/** The active villager groups with these 15-digit codes: code → group id. */
export async function activeGroupsByCode(db: Kysely<Database>, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await sql<{ id: string; code: string }>`select id, code from rm_groups where code = any(${[...codes]}::text[]) and status = 'active'`.execute(
    db,
  );
  return new Map(rows.rows.map((g) => [g.code, g.id]));
}

/** The ids of every active villager group, in id order (the schedule's day rollover builds group by group). */
export async function activeGroupIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('rm_groups').select('id').where('status', '=', 'active').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Groups' names by id, for lists that show groups by name. */
export async function groupNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('rm_groups')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
