import { sql } from 'kysely';
import type { Db } from '../application/db';
import type { Role } from '../application/actor';
import type { DemoUserView } from '../http/demo-port';

/**
 * The demo county's users, one per role, found in its read models (issue 15): what
 * `npm run token -- --demo` prints and what GET /api/v1/demo/users hands the console's demo
 * sign-in. One module, so both always show the same people.
 *
 * Deterministic for a seed: each choice is ordered by counts and names, never by row order, and
 * read as of the demo date (not the advancing clock), so the same seed gives the same users.
 * A demo user before their token is signed:
 */
export type DemoUser = Omit<DemoUserView, 'token' | 'expiresAt'>;

/** The roles in the order they are listed (the people of the article first). */
export const DEMO_ROLES = [
  'village_worker',
  'town_worker',
  'county_worker',
  'civil_affairs_officer',
  'town_official',
  'admin',
  'auditor',
  'evaluator',
] as const satisfies readonly Role[];

export const DEMO_ROLE_LABELS: Record<(typeof DEMO_ROLES)[number], { zh: string; en: string }> = {
  village_worker: { zh: '村（社区）社工', en: 'village worker' },
  town_worker: { zh: '乡镇社工站社工', en: 'town worker' },
  county_worker: { zh: '县级社工', en: 'county worker' },
  civil_affairs_officer: { zh: '县民政局审批人员', en: 'civil-affairs officer' },
  town_official: { zh: '乡镇人民政府审批人员', en: 'town official' },
  admin: { zh: '系统管理员', en: 'admin' },
  auditor: { zh: '审计人员', en: 'auditor' },
  evaluator: { zh: '考评委员会委员', en: 'evaluator' },
};

const COUNTY_AREA = (label = '全县 whole county'): DemoUser['area'] => ({
  level: 'county',
  townId: null,
  townName: null,
  villageId: null,
  villageName: null,
  label,
});

interface Row {
  id: string;
  name: string;
  town_id: string | null;
  town_name: string | null;
  village_id: string | null;
  village_name: string | null;
}

/** One user per role found in the county as of `onDate`; a role with nobody to stand for it is left out. */
export async function findDemoUsers(db: Db, onDate: string): Promise<DemoUser[]> {
  // The village worker with the most groups in their care (包保) that day: the busiest list to show.
  const village = first(
    await sql<Row>`
      select w.id, w.name, w.town_id, t.name as town_name, w.village_id, v.name as village_name
      from rm_workers w
      join rm_group_responsibilities r on r.worker_id = w.id and r.from_date <= ${onDate}::date and (r.to_date is null or r.to_date > ${onDate}::date)
      left join rm_towns t on t.id = w.town_id
      left join rm_villages v on v.id = w.village_id
      where w.level = 'village' and w.status = 'employed'
      group by w.id, w.name, w.town_id, t.name, w.village_id, v.name
      order by count(*) desc, w.name, w.id
      limit 1`.execute(db),
  );
  const homeTown = village?.town_id ?? null;

  // The town worker and town official of the village worker's town, so the three see one place.
  const town = first(
    await sql<Row>`
      select w.id, w.name, w.town_id, t.name as town_name, null as village_id, null as village_name
      from rm_workers w left join rm_towns t on t.id = w.town_id
      where w.level = 'town' and w.status = 'employed' and w.town_id is not null
      order by (w.town_id = ${homeTown}::uuid) is true desc, t.code, w.name, w.id
      limit 1`.execute(db),
  );
  const county = first(
    await sql<Row & { towns: string }>`
      select w.id, w.name, null as town_id, null as town_name, null as village_id, null as village_name,
        (select count(*) from rm_worker_links l where l.worker_id = w.id and l.kind = 'county_town_link'
           and l.from_date <= ${onDate}::date and (l.to_date is null or l.to_date > ${onDate}::date))::int as towns
      from rm_workers w
      where w.level = 'county' and w.status = 'employed'
      order by towns desc, w.name, w.id
      limit 1`.execute(db),
  );
  const officer = first(
    await sql<Row>`
      select o.id, o.name, null as town_id, null as town_name, null as village_id, null as village_name
      from rm_officials o
      where o.role = 'civil_affairs_officer' and o.from_date <= ${onDate}::date and (o.to_date is null or o.to_date > ${onDate}::date)
      order by o.name, o.id
      limit 1`.execute(db),
  );
  const official = first(
    await sql<Row>`
      select o.id, o.name, o.town_id, t.name as town_name, null as village_id, null as village_name
      from rm_officials o left join rm_towns t on t.id = o.town_id
      where o.role = 'town_official' and o.from_date <= ${onDate}::date and (o.to_date is null or o.to_date > ${onDate}::date)
      order by (o.town_id = ${homeTown}::uuid) is true desc, t.code, o.name, o.id
      limit 1`.execute(db),
  );

  const users: DemoUser[] = [];
  if (village) users.push(worker('village_worker', village, villageArea(village)));
  if (town) users.push(worker('town_worker', town, townArea(town)));
  if (county) users.push(worker('county_worker', county, COUNTY_AREA(`全县（联系 ${county.towns} 个乡镇）whole county, towns linked: ${county.towns}`)));
  if (officer)
    users.push({
      role: 'civil_affairs_officer',
      roleLabel: DEMO_ROLE_LABELS.civil_affairs_officer,
      sub: officer.id,
      person: { kind: 'official', id: officer.id, name: officer.name },
      area: COUNTY_AREA(),
    });
  if (official)
    users.push({
      role: 'town_official',
      roleLabel: DEMO_ROLE_LABELS.town_official,
      sub: official.id,
      person: { kind: 'official', id: official.id, name: official.name },
      area: townArea(official),
    });
  // Roles that act county-wide and are no worker: a fixed subject, the same in every county.
  for (const role of ['admin', 'auditor', 'evaluator'] as const) {
    users.push({ role, roleLabel: DEMO_ROLE_LABELS[role], sub: `demo-${role}`, person: null, area: COUNTY_AREA() });
  }
  return users;
}

/** The users with ready-to-paste tokens; `mint` signs (sub, role) for `lifetimeMs`, or returns null when the service cannot sign. */
export function withTokens(
  users: readonly DemoUser[],
  mint: (claims: { sub: string; role: Role }, lifetimeMs: number) => string | null,
  lifetimeMs: number,
  now: Date,
): DemoUserView[] | null {
  const out: DemoUserView[] = [];
  for (const user of users) {
    const token = mint({ sub: user.sub, role: user.role }, lifetimeMs);
    if (!token) return null;
    out.push({ ...user, token, expiresAt: new Date(now.getTime() + lifetimeMs).toISOString() });
  }
  return out;
}

/** Twelve hours, a working day with a margin, or less when the service accepts only shorter tokens. */
export const demoTokenLifetimeMs = (maxLifetimeSeconds: number) => Math.min(12 * 3_600_000, maxLifetimeSeconds * 1000);

function worker(role: 'village_worker' | 'town_worker' | 'county_worker', row: Row, area: DemoUser['area']): DemoUser {
  return { role, roleLabel: DEMO_ROLE_LABELS[role], sub: row.id, person: { kind: 'worker', id: row.id, name: row.name }, area };
}

function villageArea(row: Row): DemoUser['area'] {
  return {
    level: 'village',
    townId: row.town_id,
    townName: row.town_name,
    villageId: row.village_id,
    villageName: row.village_name,
    label: [row.town_name, row.village_name].filter(Boolean).join(' · '),
  };
}

function townArea(row: Row): DemoUser['area'] {
  return { level: 'town', townId: row.town_id, townName: row.town_name, villageId: null, villageName: null, label: row.town_name ?? '' };
}

const first = <T>(result: { rows: T[] }): T | undefined => result.rows[0];
