import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../../application/pagination';
import type { VolunteerStanding } from '../../domain/community/team.decide';
import { containing, day, json, num, townScope } from './rows';
import type { Aggregate } from '../row-values';

export interface VolunteerRecord {
  id: string;
  name: string;
  idNumber: string;
  phone: string;
  skills: string[];
  townId: string;
  villageId: string | null;
  status: 'registered' | 'withdrawn';
  registeredOn: string;
  withdrawnOn: string | null;
  withdrawalReason: string | null;
  version: number;
  teams: { teamId: string; name: string; kind: string; from: string; to: string | null; leader: boolean }[];
  totalMinutes: number;
}

type VolunteerRow = Row<'rm_volunteers'>;
type MembershipRow = Row<'rm_volunteer_team_members'>;

async function hydrate(db: Kysely<Database>, rows: VolunteerRow[]): Promise<VolunteerRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [teams, minutes] = await Promise.all([
    sql<
      MembershipRow & { name: string; kind: string; leader: boolean | null }
    >`select m.volunteer_id, m.team_id, m.from_date, m.to_date, t.name, t.kind, (t.leader_id = m.volunteer_id and m.to_date is null) as leader
             from rm_volunteer_team_members m join rm_volunteer_teams t on t.id = m.team_id
             where m.volunteer_id = any(${ids}::uuid[]) order by m.from_date, t.name`.execute(db),
    sql<{
      volunteer_id: string;
      minutes: Aggregate;
    }>`select volunteer_id, sum(minutes) as minutes from rm_volunteer_service_minutes where volunteer_id = any(${ids}::uuid[]) group by volunteer_id`.execute(
      db,
    ),
  ]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    idNumber: r.id_number,
    phone: r.phone,
    skills: json<string[]>(r.skills),
    townId: r.town_id,
    villageId: r.village_id,
    status: r.status as VolunteerRecord['status'],
    registeredOn: day(r.registered_on)!,
    withdrawnOn: day(r.withdrawn_on),
    withdrawalReason: r.withdrawal_reason,
    version: num(r.version),
    teams: teams.rows
      .filter((t) => t.volunteer_id === r.id)
      .map((t) => ({ teamId: t.team_id, name: t.name, kind: t.kind, from: day(t.from_date)!, to: day(t.to_date), leader: !!t.leader })),
    totalMinutes: num(minutes.rows.find((m) => m.volunteer_id === r.id)?.minutes),
  }));
}

export async function getVolunteer(db: Kysely<Database>, id: string): Promise<VolunteerRecord | null> {
  const rows = await db.selectFrom('rm_volunteers').selectAll().where('id', '=', id).execute();
  return (await hydrate(db, rows))[0] ?? null;
}

export interface VolunteerFilter {
  townId?: string;
  villageId?: string;
  status?: 'registered' | 'withdrawn';
  skill?: string;
  name?: string;
  idNumber?: string;
  teamId?: string;
  /** Jurisdiction (null = all towns). */
  townIds?: readonly string[] | null;
}

export async function listVolunteers(db: Kysely<Database>, filter: VolunteerFilter, page: PageRequest): Promise<Page<VolunteerRecord>> {
  const after = decodeCursor<{ id: string }>(page.cursor);
  const where = [townScope('v.town_id', filter.townIds)];
  if (filter.townId) where.push(sql`v.town_id = ${filter.townId}::uuid`);
  if (filter.villageId) where.push(sql`v.village_id = ${filter.villageId}::uuid`);
  if (filter.status) where.push(sql`v.status = ${filter.status}`);
  if (filter.skill) where.push(sql`v.skills @> ${JSON.stringify([filter.skill])}::jsonb`);
  if (filter.name) where.push(sql`v.name like ${containing(filter.name)}`);
  if (filter.idNumber) where.push(sql`v.id_number = ${filter.idNumber.toUpperCase()}`);
  if (filter.teamId)
    where.push(
      sql`exists (select 1 from rm_volunteer_team_members m where m.volunteer_id = v.id and m.team_id = ${filter.teamId}::uuid and m.to_date is null)`,
    );
  if (after) where.push(sql`v.id > ${after.id}::uuid`);
  const rows = await sql<VolunteerRow>`select v.* from rm_volunteers v where ${sql.join(where, sql` and `)} order by v.id limit ${page.limit + 1}`.execute(db);
  const items = await hydrate(db, rows.rows.slice(0, page.limit));
  return { items, nextCursor: rows.rows.length > page.limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}

/** The registered (not withdrawn) volunteer holding this ID number, if any. */
export async function activeVolunteerWithIdNumber(db: Kysely<Database>, idNumber: string): Promise<string | null> {
  const row = await db.selectFrom('rm_volunteers').select('id').where('id_number', '=', idNumber).where('status', '=', 'registered').executeTakeFirst();
  return row?.id ?? null;
}

/** Registration periods of these volunteers; unknown ids come back as `unregistered`. */
export async function volunteerStandings(db: Kysely<Database>, ids: readonly string[]): Promise<VolunteerStanding[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('rm_volunteers')
    .select(['id', 'status', 'registered_on', 'withdrawn_on'])
    .where('id', 'in', [...ids])
    .execute();
  return ids.map((id) => {
    const r = rows.find((x) => x.id === id);
    return r
      ? { volunteerId: id, status: r.status as VolunteerStanding['status'], registeredOn: day(r.registered_on), withdrawnOn: day(r.withdrawn_on) }
      : { volunteerId: id, status: 'unregistered' as const, registeredOn: null, withdrawnOn: null };
  });
}

// ── Teams ────────────────────────────────────────────────────────────────────
export interface TeamRecord {
  id: string;
  name: string;
  kind: string;
  townId: string;
  villageId: string | null;
  status: 'active' | 'disbanded';
  formedOn: string;
  disbandedOn: string | null;
  leader: { volunteerId: string; name: string; from: string } | null;
  currentMembers: number;
  members: { volunteerId: string; name: string; from: string; to: string | null }[];
  totalMinutes: number;
  version: number;
}

type TeamRow = Row<'rm_volunteer_teams'>;

async function hydrateTeams(db: Kysely<Database>, rows: TeamRow[]): Promise<TeamRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [members, minutes] = await Promise.all([
    sql<
      MembershipRow & { name: string }
    >`select m.team_id, m.volunteer_id, m.from_date, m.to_date, v.name from rm_volunteer_team_members m join rm_volunteers v on v.id = m.volunteer_id
             where m.team_id = any(${ids}::uuid[]) order by m.from_date, v.name`.execute(db),
    sql<{
      team_id: string;
      minutes: Aggregate;
    }>`select team_id, sum(minutes) as minutes from rm_volunteer_service_minutes where team_id = any(${ids}::uuid[]) group by team_id`.execute(db),
  ]);
  return rows.map((r) => {
    const mine = members.rows
      .filter((m) => m.team_id === r.id)
      .map((m) => ({ volunteerId: m.volunteer_id, name: m.name, from: day(m.from_date)!, to: day(m.to_date) }));
    const leader = r.leader_id ? mine.find((m) => m.volunteerId === r.leader_id) : undefined;
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      townId: r.town_id,
      villageId: r.village_id,
      status: r.status as TeamRecord['status'],
      formedOn: day(r.formed_on)!,
      disbandedOn: day(r.disbanded_on),
      leader: leader ? { volunteerId: leader.volunteerId, name: leader.name, from: day(r.leader_from)! } : null,
      currentMembers: mine.filter((m) => m.to === null).length,
      members: mine,
      totalMinutes: num(minutes.rows.find((m) => m.team_id === r.id)?.minutes),
      version: num(r.version),
    };
  });
}

export async function getTeam(db: Kysely<Database>, id: string): Promise<TeamRecord | null> {
  const rows = await db.selectFrom('rm_volunteer_teams').selectAll().where('id', '=', id).execute();
  return (await hydrateTeams(db, rows))[0] ?? null;
}

export interface TeamFilter {
  townId?: string;
  villageId?: string;
  kind?: string;
  status?: 'active' | 'disbanded';
  townIds?: readonly string[] | null;
}

export async function listTeams(db: Kysely<Database>, filter: TeamFilter, page: PageRequest): Promise<Page<TeamRecord>> {
  const after = decodeCursor<{ id: string }>(page.cursor);
  const where = [townScope('t.town_id', filter.townIds)];
  if (filter.townId) where.push(sql`t.town_id = ${filter.townId}::uuid`);
  if (filter.villageId) where.push(sql`t.village_id = ${filter.villageId}::uuid`);
  if (filter.kind) where.push(sql`t.kind = ${filter.kind}`);
  if (filter.status) where.push(sql`t.status = ${filter.status}`);
  if (after) where.push(sql`t.id > ${after.id}::uuid`);
  const rows = await sql<TeamRow>`select t.* from rm_volunteer_teams t where ${sql.join(where, sql` and `)} order by t.id limit ${page.limit + 1}`.execute(db);
  const items = await hydrateTeams(db, rows.rows.slice(0, page.limit));
  return { items, nextCursor: rows.rows.length > page.limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}

/** For each team, the volunteers who were members on `date` ([from, to) periods). */
export async function teamMembersOn(db: Kysely<Database>, teamIds: readonly string[], date: string): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = Object.fromEntries(teamIds.map((id) => [id, []]));
  if (teamIds.length === 0) return result;
  const rows = await sql<Pick<MembershipRow, 'team_id' | 'volunteer_id'>>`select team_id, volunteer_id from rm_volunteer_team_members
                              where team_id = any(${[...teamIds]}::uuid[]) and from_date <= ${date}::date and (to_date is null or to_date > ${date}::date)`.execute(
    db,
  );
  for (const r of rows.rows) result[r.team_id]!.push(r.volunteer_id);
  return result;
}

/** The teams a volunteer is still a member of (to end them when the volunteer withdraws). */
export async function openMembershipsOf(db: Kysely<Database>, volunteerId: string): Promise<{ teamId: string; from: string }[]> {
  const rows = await sql<
    Pick<MembershipRow, 'team_id' | 'from_date'>
  >`select m.team_id, m.from_date from rm_volunteer_team_members m join rm_volunteer_teams t on t.id = m.team_id
                              where m.volunteer_id = ${volunteerId}::uuid and m.to_date is null and t.status = 'active'`.execute(db);
  return rows.rows.map((r) => ({ teamId: r.team_id, from: day(r.from_date)! }));
}

// ── Mobilisable counts ───────────────────────────────────────────────────────
export interface MobilisableCountRecord {
  organisationId: string;
  organisation: string;
  townId: string | null;
  count: number;
  asOf: string;
  note: string;
}

export async function listMobilisableCounts(
  db: Kysely<Database>,
  filter: { townId?: string; townIds?: readonly string[] | null },
): Promise<MobilisableCountRecord[]> {
  const where = [townScope('town_id', filter.townIds, 'visible')];
  if (filter.townId) where.push(sql`town_id = ${filter.townId}::uuid`);
  const rows = await sql<Row<'rm_mobilisable_counts'>>`select * from rm_mobilisable_counts where ${sql.join(where, sql` and `)} order by organisation`.execute(
    db,
  );
  return rows.rows.map((r) => ({
    organisationId: r.organisation_id,
    organisation: r.organisation,
    townId: r.town_id,
    count: num(r.count),
    asOf: day(r.as_of)!,
    note: r.note,
  }));
}
