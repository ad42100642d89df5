import { sql, type Kysely } from 'kysely';
import type { Database, Row } from '../../storage/database';
import { day, inIds, num, type Aggregate } from '../row-values';
import type { CoverageFilter } from './coverage-oracle.queries';

type Place = Pick<Row<'rm_coverage_places'>, 'id' | 'kind' | 'code' | 'name' | 'town_id' | 'village_id' | 'village_kind'>;
type Station = Pick<Row<'rm_coverage_stations'>, 'id' | 'kind' | 'town_id' | 'village_id' | 'opened_on' | 'quality'>;
type WorkerRef = { workerId: string; name: string };

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

/** A station as it stood on the day: operating once opened; quality only once operating (SQL's three-valued `and`, as the oracle). */
function stationOn(s: Station, d: string) {
  const opened = s.opened_on == null ? null : day(s.opened_on)! <= d;
  return { status: opened ? 'operating' : 'planned', quality: s.quality ? opened : false };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The coverage report from the coverage read model (coverage.projection.ts): the same report as
 * the query-time oracle (coverage-oracle.queries.ts), from this slice's own rows. Dated facts
 * are evaluated on `today`; "visited this month" comes from the counters of today's month, so it
 * counts the month's visits up to today as long as no visit is dated after today (the visit
 * decider refuses those): callers asking about an earlier day use the oracle.
 */
export async function coverageFromModel(db: Kysely<Database>, filter: CoverageFilter, today: string) {
  const d = today;
  const month = today.slice(0, 7);

  const placeWhere = [sql`active`];
  if (filter.townId) placeWhere.push(sql`town_id = ${filter.townId}::uuid`);
  if (filter.townIds) placeWhere.push(inIds('town_id', filter.townIds));
  if (filter.villageId) placeWhere.push(sql`town_id = (select town_id from rm_coverage_places where id = ${filter.villageId}::uuid)`);
  const places = (
    await sql<Place>`
      select id, kind, code, name, town_id, village_id, village_kind from rm_coverage_places
      where ${sql.join(placeWhere, sql` and `)} order by code`.execute(db)
  ).rows;

  const towns = places.filter((p) => p.kind === 'town');
  const townIds = towns.map((t) => t.id);
  const townSet = new Set(townIds);
  const villageFilter = filter.villageIds ? new Set(filter.villageIds) : null;
  const villages = places.filter(
    (p) => p.kind === 'village' && townSet.has(p.town_id) && (!filter.villageId || p.id === filter.villageId) && (!villageFilter || villageFilter.has(p.id)),
  );
  const villageIds = villages.map((v) => v.id);
  const villageSet = new Set(villageIds);
  const groupFilter = filter.groupIds ? new Set(filter.groupIds) : null;
  const groups = places.filter((p) => p.kind === 'group' && villageSet.has(p.village_id!) && (!groupFilter || groupFilter.has(p.id)));
  const groupSet = new Set(groups.map((g) => g.id));
  // County-wide reads send no id lists: the scope is every row.
  const countyWide = !filter.townId && !filter.townIds && !filter.villageId && !filter.villageIds && !filter.groupIds;

  const stations = (
    await sql<Station>`
      select id, kind, town_id, village_id, opened_on, quality from rm_coverage_stations
      ${countyWide ? sql`` : sql`where ${inIds('town_id', townIds)}`}
      order by id`.execute(db)
  ).rows;
  // The totals count a village worker's own villages' points only; the towns show their station whoever asks.
  const countedStations = filter.villageIds ? stations.filter((s) => s.village_id !== null && villageSet.has(s.village_id)) : stations;

  const periods = (
    await sql<{ kind: string; target_id: string; worker_id: string; from_date: unknown; to_date: unknown; name: string | null; level: string | null }>`
      select p.kind, p.target_id, p.worker_id, p.from_date, p.to_date, w.name, w.level
      from rm_coverage_periods p left join rm_coverage_workers w on w.id = p.worker_id
      where p.kind <> 'mentoring' and p.from_date <= ${d}::date and (p.to_date is null or p.to_date > ${d}::date)
      order by w.name`.execute(db)
  ).rows;
  const responsible = new Map<string, (typeof periods)[number]>();
  const countyLinks = new Map<string, WorkerRef[]>();
  const townLinks = new Map<string, WorkerRef[]>();
  for (const p of periods) {
    if (p.kind === 'responsibility') responsible.set(p.target_id, p);
    else if (p.name !== null) push(p.kind === 'county_town_link' ? countyLinks : townLinks, p.target_id, { workerId: p.worker_id, name: p.name });
  }

  const visits = (
    await sql<Pick<Row<'rm_coverage_group_months'>, 'group_id' | 'visits' | 'households' | 'people_served'>>`
      select group_id, visits, households, people_served from rm_coverage_group_months
      where month = ${month} ${countyWide ? sql`` : sql`and ${inIds('group_id', [...groupSet])}`}`.execute(db)
  ).rows.filter((r) => groupSet.has(r.group_id));
  const visitsOf = new Map(visits.map((r) => [r.group_id, r]));
  const householdsVisited = (
    await sql<{ n: Aggregate }>`
      select count(distinct household_id) as n from rm_coverage_visits
      where month = ${month} ${countyWide ? sql`` : sql`and ${inIds('group_id', [...groupSet])}`}`.execute(db)
  ).rows[0]!.n;

  const groupRows = groups.map((g) => {
    const r = responsible.get(g.id);
    const v = visitsOf.get(g.id);
    return {
      id: g.id,
      code: g.code,
      name: g.name,
      villageId: g.village_id!,
      responsibleWorker: r ? { workerId: r.worker_id, name: r.name as string, level: r.level as string } : null,
      linkedTownWorkers: r ? (townLinks.get(r.worker_id) ?? []) : [],
      visitedThisMonth: !!v,
      visitsThisMonth: v?.visits ?? 0,
      householdsVisitedThisMonth: v?.households ?? 0,
    };
  });
  const groupsOfVillage = new Map<string, typeof groupRows>();
  for (const g of groupRows) push(groupsOfVillage, g.villageId, g);
  const villageRows = villages.map((v) => {
    const point = stations.find((s) => s.kind === 'service_point' && s.village_id === v.id);
    return {
      id: v.id,
      code: v.code,
      name: v.name,
      kind: v.village_kind!,
      townId: v.town_id,
      servicePoint: point ? { stationId: point.id, status: stationOn(point, d).status } : null,
      groups: groupsOfVillage.get(v.id) ?? [],
    };
  });
  const townRows = towns.map((t) => {
    const station = stations.find((s) => s.kind === 'town_station' && s.town_id === t.id);
    return {
      id: t.id,
      code: t.code,
      name: t.name,
      townStation: station ? { stationId: station.id, ...stationOn(station, d) } : null,
      linkedCountyWorkers: countyLinks.get(t.id) ?? [],
      villages: villageRows.filter((v) => v.townId === t.id),
    };
  });

  const stationsOn = countedStations.map((s) => ({ kind: s.kind, ...stationOn(s, d) }));
  const count = (pred: (s: (typeof stationsOn)[number]) => boolean) => stationsOn.filter(pred).length;

  // Workers employed on the day, and certified by then.
  const workerScope = filter.villageIds
    ? sql`and ${inIds('village_id', filter.villageIds)}`
    : filter.townIds || filter.townId || filter.villageId
      ? sql`and (town_id = any(${townIds}::uuid[]) or level = 'county')`
      : sql``;
  const workers = (
    await sql<{ level: string; n: Aggregate; certified: Aggregate }>`
      select level, count(*) as n, count(*) filter (where certified_on <= ${d}::date) as certified
      from rm_coverage_workers
      where hired_on <= ${d}::date and (left_on is null or left_on > ${d}::date) ${workerScope}
      group by level`.execute(db)
  ).rows;
  const byLevel = { county: 0, town: 0, village: 0 } as Record<string, number>;
  let certified = 0;
  for (const w of workers) {
    byLevel[w.level] = num(w.n);
    certified += num(w.certified);
  }
  const workerTotal = Object.values(byLevel).reduce((a, b) => a + b, 0);

  const training = (
    await sql<{ kind: string; n: Aggregate }>`select kind, count(*) as n from rm_coverage_training where held_on <= ${d}::date group by kind`.execute(db)
  ).rows;
  const mentoring = (
    await sql<{ total: Aggregate; active: Aggregate }>`
      select count(*) as total, count(*) filter (where to_date is null or to_date > ${d}::date) as active
      from rm_coverage_periods where kind = 'mentoring' and from_date <= ${d}::date`.execute(db)
  ).rows[0]!;

  const operatingTown = new Set(townRows.filter((t) => t.townStation?.status === 'operating').map((t) => t.id));
  const villagesServed = villageRows.filter((v) => v.servicePoint?.status === 'operating' || operatingTown.has(v.townId)).length;
  const villagesWithOwnPoint = villageRows.filter((v) => v.servicePoint?.status === 'operating').length;
  const covered = groupRows.filter((g) => g.responsibleWorker).length;

  return {
    asOf: today,
    towns: townRows,
    gaps: {
      groupsWithoutResponsibleWorker: groupRows.filter((g) => !g.responsibleWorker).map(({ id, code, name, villageId }) => ({ id, code, name, villageId })),
      villagesWithoutOperatingServicePoint: villageRows.filter((v) => v.servicePoint?.status !== 'operating').map(({ id, code, name, townId }) => ({ id, code, name, townId })),
      townsWithoutOperatingStation: townRows.filter((t) => t.townStation?.status !== 'operating').map(({ id, code, name }) => ({ id, code, name })),
      townsWithoutLinkedCountyWorker: townRows.filter((t) => t.linkedCountyWorkers.length === 0).map(({ id, code, name }) => ({ id, code, name })),
    },
    totals: {
      towns: townRows.length,
      villages: villageRows.length,
      groups: groupRows.length,
      groupsCovered: covered,
      groupCoverageRate: ratio(covered, groupRows.length),
      stations: {
        operating: count((s) => s.status === 'operating'),
        planned: count((s) => s.status === 'planned'),
        townStationsOperating: count((s) => s.kind === 'town_station' && s.status === 'operating'),
        townStationsQuality: count((s) => s.kind === 'town_station' && s.quality === true),
        servicePointsOperating: count((s) => s.kind === 'service_point' && s.status === 'operating'),
      },
      villagesWithOperatingServicePoint: villagesWithOwnPoint,
      villageServiceRate: ratio(villagesWithOwnPoint, villageRows.length),
      villagesServedByStationOrPoint: villagesServed,
      workersByLevel: byLevel,
      workers: workerTotal,
      certifiedWorkers: certified,
      certificationRate: ratio(certified, workerTotal),
      trainingSessions: Object.fromEntries<number>([['total', training.reduce((s, r) => s + num(r.n), 0)], ...training.map((r) => [r.kind, num(r.n)] as const)]),
      mentoringPairs: { total: num(mentoring.total), active: num(mentoring.active) },
      visitsThisMonth: {
        groupsVisited: visits.length,
        householdsVisited: num(householdsVisited),
        visits: visits.reduce((s, r) => s + r.visits, 0),
        personTimes: visits.reduce((s, r) => s + r.people_served, 0),
      },
    },
  };
}

export type CoverageModelReport = Awaited<ReturnType<typeof coverageFromModel>>;
