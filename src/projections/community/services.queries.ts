import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../../application/pagination';
import { day, iso, json, num, townScope } from './rows';

type Participant = { volunteerId: string; teamId: string | null; minutes: number };

export interface ServiceRecordView {
  id: string;
  activity: string;
  date: string;
  townId: string;
  villageId: string | null;
  projectId: string | null;
  participants: Participant[];
  teamIds: string[];
  householdIds: string[];
  servedGroups: string[];
  peopleServed: number;
  childrenServed: number;
  totalMinutes: number;
  note: string;
  voided: boolean;
  voidReason: string | null;
  version: number;
  recordedAt: string;
}

function view(r: Row<'rm_volunteer_services'>): ServiceRecordView {
  const participants = json<Participant[]>(r.participants);
  return {
    id: r.id,
    activity: r.activity,
    date: day(r.service_date)!,
    townId: r.town_id,
    villageId: r.village_id,
    projectId: r.project_id,
    participants,
    teamIds: [...new Set(participants.flatMap((p) => (p.teamId ? [p.teamId] : [])))],
    householdIds: json<string[]>(r.household_ids),
    servedGroups: json<string[]>(r.served_groups),
    peopleServed: num(r.people_served),
    childrenServed: num(r.children_served),
    totalMinutes: participants.reduce((sum, p) => sum + p.minutes, 0),
    note: r.note,
    voided: !!r.voided,
    voidReason: r.void_reason,
    version: num(r.version),
    recordedAt: iso(r.recorded_at),
  };
}

export async function getServiceRecord(db: Kysely<Database>, id: string): Promise<ServiceRecordView | null> {
  const row = await db.selectFrom('rm_volunteer_services').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? view(row) : null;
}

export interface ServiceRecordFilter {
  from?: string;
  to?: string;
  volunteerId?: string;
  teamId?: string;
  projectId?: string;
  householdId?: string;
  townId?: string;
  includeVoided?: boolean;
  townIds?: readonly string[] | null;
}

/** Newest first, keyset on (date, id). */
export async function listServiceRecords(db: Kysely<Database>, filter: ServiceRecordFilter, page: PageRequest): Promise<Page<ServiceRecordView>> {
  const after = decodeCursor<{ date: string; id: string }>(page.cursor);
  const where = [townScope('s.town_id', filter.townIds)];
  if (!filter.includeVoided) where.push(sql`not s.voided`);
  if (filter.from) where.push(sql`s.service_date >= ${filter.from}::date`);
  if (filter.to) where.push(sql`s.service_date <= ${filter.to}::date`);
  if (filter.townId) where.push(sql`s.town_id = ${filter.townId}::uuid`);
  if (filter.projectId) where.push(sql`s.project_id = ${filter.projectId}::uuid`);
  if (filter.volunteerId) where.push(sql`s.participants @> ${JSON.stringify([{ volunteerId: filter.volunteerId }])}::jsonb`);
  if (filter.teamId) where.push(sql`s.participants @> ${JSON.stringify([{ teamId: filter.teamId }])}::jsonb`);
  if (filter.householdId) where.push(sql`s.household_ids @> ${JSON.stringify([filter.householdId])}::jsonb`);
  if (after) where.push(sql`(s.service_date, s.id) < (${after.date}::date, ${after.id}::uuid)`);
  const rows = await sql<
    Row<'rm_volunteer_services'>
  >`select s.* from rm_volunteer_services s where ${sql.join(where, sql` and `)} order by s.service_date desc, s.id desc limit ${page.limit + 1}`.execute(db);
  const items = rows.rows.slice(0, page.limit).map(view);
  const last = items.at(-1);
  return { items, nextCursor: rows.rows.length > page.limit && last ? encodeCursor({ date: last.date, id: last.id }) : null };
}

export type HoursGrouping = 'volunteer' | 'team' | 'month';

export interface HoursRow {
  key: string;
  /** The volunteer's or team's name; null when grouping by month. */
  name: string | null;
  minutes: number;
  records: number;
}

export interface HoursFilter {
  from?: string;
  to?: string;
  townId?: string;
  volunteerId?: string;
  teamId?: string;
  townIds?: readonly string[] | null;
}

/**
 * Minutes served, summed per volunteer, per team or per month (yyyy-mm), from the minutes rows
 * of records not voided. Keyset on the group key. Team grouping counts only time served with a team.
 */
export async function serviceHours(db: Kysely<Database>, by: HoursGrouping, filter: HoursFilter, page: PageRequest): Promise<Page<HoursRow>> {
  const after = decodeCursor<{ key: string }>(page.cursor);
  const key = by === 'volunteer' ? sql`m.volunteer_id::text` : by === 'team' ? sql`m.team_id::text` : sql`to_char(m.service_date, 'YYYY-MM')`;
  const name =
    by === 'volunteer'
      ? sql`(select v.name from rm_volunteers v where v.id = g.key::uuid)`
      : by === 'team'
        ? sql`(select t.name from rm_volunteer_teams t where t.id = g.key::uuid)`
        : sql`null::text`;
  const where = [townScope('m.town_id', filter.townIds)];
  if (by === 'team') where.push(sql`m.team_id is not null`);
  if (filter.from) where.push(sql`m.service_date >= ${filter.from}::date`);
  if (filter.to) where.push(sql`m.service_date <= ${filter.to}::date`);
  if (filter.townId) where.push(sql`m.town_id = ${filter.townId}::uuid`);
  if (filter.volunteerId) where.push(sql`m.volunteer_id = ${filter.volunteerId}::uuid`);
  if (filter.teamId) where.push(sql`m.team_id = ${filter.teamId}::uuid`);
  const rows = await sql<{ key: string; name: string | null; minutes: string | number; records: string | number }>`
    select g.*, ${name} as name from (
      select ${key} as key, sum(m.minutes) as minutes, count(distinct m.service_id) as records
      from rm_volunteer_service_minutes m where ${sql.join(where, sql` and `)} group by 1
    ) g ${after ? sql`where g.key > ${after.key}` : sql``} order by g.key limit ${page.limit + 1}`.execute(db);
  const items = rows.rows.slice(0, page.limit).map((r) => ({ key: r.key, name: r.name ?? null, minutes: num(r.minutes), records: num(r.records) }));
  return { items, nextCursor: rows.rows.length > page.limit ? encodeCursor({ key: items.at(-1)!.key }) : null };
}
