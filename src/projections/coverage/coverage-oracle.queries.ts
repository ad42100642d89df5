import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import { inIds, json } from '../row-values';

/**
 * Extra per-group columns and totals contributed by other read models (e.g. "visited this
 * month" from the visits projection). Coverage composes them without knowing their tables.
 */
export interface CoverageFacet {
  name: string;
  groups(db: Kysely<Database>, groupIds: readonly string[], today: string): Promise<Map<string, Record<string, unknown>>>;
  totals(db: Kysely<Database>, groupIds: readonly string[], today: string): Promise<Record<string, unknown>>;
}

export interface CoverageFilter {
  townId?: string;
  villageId?: string;
  /** Restrict to these towns / groups (jurisdiction); null = everything. */
  townIds?: readonly string[] | null;
  villageIds?: readonly string[] | null;
  groupIds?: readonly string[] | null;
}

/** A worker as the coverage lists them (json_agg of json_build_object: the driver may hand it back as text). */
type WorkerRefs = unknown;

type TownCoverageRow = Pick<Row<'rm_towns'>, 'id' | 'code' | 'name'> & {
  station_id: string | null;
  station_status: string;
  station_quality: boolean | null;
  county_workers: WorkerRefs;
};
type VillageCoverageRow = Pick<Row<'rm_villages'>, 'id' | 'code' | 'name' | 'kind' | 'town_id'> & { station_id: string | null; station_status: string };
type GroupCoverageRow = Pick<Row<'rm_groups'>, 'id' | 'code' | 'name' | 'village_id'> & {
  responsible_id: string | null;
  responsible_name: string | null;
  responsible_level: string | null;
  town_workers: WorkerRefs;
};

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

/** The county at a glance on a day: who covers every grid cell, and where the gaps are. */
export async function coverage(db: Kysely<Database>, filter: CoverageFilter, today: string, facets: readonly CoverageFacet[] = []) {
  const d = sql`${today}::date`;
  /** The dated period of this row is in force on the day. */
  const inForce = (alias: string) =>
    sql`${sql.ref(`${alias}.from_date`)} <= ${d} and (${sql.ref(`${alias}.to_date`)} is null or ${sql.ref(`${alias}.to_date`)} > ${d})`;

  const townWhere = [sql`t.status = 'active'`];
  if (filter.townId) townWhere.push(sql`t.id = ${filter.townId}::uuid`);
  if (filter.townIds) townWhere.push(inIds('t.id', filter.townIds));
  if (filter.villageId) townWhere.push(sql`t.id = (select town_id from rm_villages where id = ${filter.villageId}::uuid)`);

  const towns = (
    await sql<TownCoverageRow>`
      select t.id, t.code, t.name,
        s.id as station_id, case when s.opened_on <= ${d} then 'operating' else 'planned' end as station_status, (s.quality and s.opened_on <= ${d}) as station_quality,
        coalesce((select json_agg(json_build_object('workerId', w.id, 'name', w.name) order by w.name)
          from rm_worker_links l join rm_workers w on w.id = l.worker_id
          where l.kind = 'county_town_link' and l.target_id = t.id and ${inForce('l')}), '[]') as county_workers
      from rm_towns t
      left join rm_stations s on s.town_id = t.id and s.kind = 'town_station'
      where ${sql.join(townWhere, sql` and `)}
      order by t.code`.execute(db)
  ).rows;
  const townIds = towns.map((t) => t.id);

  const villageWhere = [sql`v.status = 'active'`, inIds('v.town_id', townIds)];
  if (filter.villageId) villageWhere.push(sql`v.id = ${filter.villageId}::uuid`);
  if (filter.villageIds) villageWhere.push(inIds('v.id', filter.villageIds));
  const villages = (
    await sql<VillageCoverageRow>`
      select v.id, v.code, v.name, v.kind, v.town_id, s.id as station_id, case when s.opened_on <= ${d} then 'operating' else 'planned' end as station_status
      from rm_villages v left join rm_stations s on s.village_id = v.id and s.kind = 'service_point'
      where ${sql.join(villageWhere, sql` and `)}
      order by v.code`.execute(db)
  ).rows;
  const villageIds = villages.map((v) => v.id);

  const groupWhere = [sql`g.status = 'active'`, inIds('g.village_id', villageIds)];
  if (filter.groupIds) groupWhere.push(inIds('g.id', filter.groupIds));
  const groups = (
    await sql<GroupCoverageRow>`
      select g.id, g.code, g.name, g.village_id, r.worker_id as responsible_id, w.name as responsible_name, w.level as responsible_level,
        coalesce((select json_agg(json_build_object('workerId', tw.id, 'name', tw.name) order by tw.name)
          from rm_worker_links l join rm_workers tw on tw.id = l.worker_id
          where l.kind = 'town_worker_link' and l.target_id = r.worker_id and ${inForce('l')}), '[]') as town_workers
      from rm_groups g
      left join rm_group_responsibilities r on r.group_id = g.id and ${inForce('r')}
      left join rm_workers w on w.id = r.worker_id
      where ${sql.join(groupWhere, sql` and `)}
      order by g.code`.execute(db)
  ).rows;
  const groupIds = groups.map((g) => g.id);

  const facetRows = await Promise.all(facets.map((f) => f.groups(db, groupIds, today)));
  const facetTotals = await Promise.all(facets.map(async (f) => [f.name, await f.totals(db, groupIds, today)] as const));

  const groupRows = groups.map((g) => ({
    id: g.id,
    code: g.code,
    name: g.name,
    villageId: g.village_id,
    responsibleWorker: g.responsible_id ? { workerId: g.responsible_id, name: g.responsible_name as string, level: g.responsible_level as string } : null,
    linkedTownWorkers: json<{ workerId: string; name: string }[]>(g.town_workers),
    ...(Object.assign({}, ...facetRows.map((m) => m.get(g.id) ?? {})) as Record<string, unknown>),
  }));
  const villageRows = villages.map((v) => ({
    id: v.id,
    code: v.code,
    name: v.name,
    kind: v.kind,
    townId: v.town_id,
    servicePoint: v.station_id ? { stationId: v.station_id, status: v.station_status } : null,
    groups: groupRows.filter((g) => g.villageId === v.id),
  }));
  const townRows = towns.map((t) => ({
    id: t.id,
    code: t.code,
    name: t.name,
    townStation: t.station_id ? { stationId: t.station_id, status: t.station_status, quality: t.station_quality as boolean } : null,
    linkedCountyWorkers: json<{ workerId: string; name: string }[]>(t.county_workers),
    villages: villageRows.filter((v) => v.townId === t.id),
  }));

  // Stations as they stood on the day: operating once opened (a village worker sees their villages' points only).
  const stationScope = filter.villageIds ? inIds('village_id', villageIds) : inIds('town_id', townIds);
  const stations = (
    await sql<{ status: string; kind: string; quality: boolean; n: string }>`
      select case when opened_on <= ${d} then 'operating' else 'planned' end as status, kind, (quality and opened_on <= ${d}) as quality, count(*) as n
      from rm_stations where ${stationScope}
      group by 1, 2, 3`.execute(db)
  ).rows;
  const count = (pred: (r: (typeof stations)[number]) => boolean) => stations.filter(pred).reduce((s, r) => s + Number(r.n), 0);

  // Workers employed on the day, and certified by then.
  const workerScope = filter.villageIds
    ? sql`and (village_id = any(${filter.villageIds.length ? [...filter.villageIds] : ['00000000-0000-0000-0000-000000000000']}::uuid[]))`
    : filter.townIds || filter.townId || filter.villageId
      ? sql`and (town_id = any(${townIds}::uuid[]) or level = 'county')`
      : sql``;
  const workers = (
    await sql<{ level: string; n: string; certified: string }>`
      select level, count(*) as n,
        count(*) filter (where exists (select 1 from rm_certifications c where c.worker_id = w.id and c.certified_on <= ${d})) as certified
      from rm_workers w
      where hired_on <= ${d} and (left_on is null or left_on > ${d}) ${workerScope}
      group by level`.execute(db)
  ).rows;
  const byLevel = { county: 0, town: 0, village: 0 } as Record<string, number>;
  let certified = 0;
  for (const w of workers) {
    byLevel[w.level] = Number(w.n);
    certified += Number(w.certified);
  }
  const workerTotal = Object.values(byLevel).reduce((a, b) => a + b, 0);

  const training = (await sql<{ kind: string; n: string }>`select kind, count(*) as n from rm_training_sessions where held_on <= ${d} group by kind`.execute(db)).rows;
  const mentoring = (
    await sql<{ total: string; active: string }>`
      select count(*) as total, count(*) filter (where ${inForce('m')}) as active from rm_mentoring m where m.from_date <= ${d}`.execute(db)
  ).rows[0]!;

  const villagesServed = villageRows.filter((v) => v.servicePoint?.status === 'operating' || townRows.find((t) => t.id === v.townId)?.townStation?.status === 'operating').length;
  const villagesWithOwnPoint = villageRows.filter((v) => v.servicePoint?.status === 'operating').length;

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
      groupsCovered: groupRows.filter((g) => g.responsibleWorker).length,
      groupCoverageRate: ratio(groupRows.filter((g) => g.responsibleWorker).length, groupRows.length),
      stations: {
        operating: count((r) => r.status === 'operating'),
        planned: count((r) => r.status === 'planned'),
        townStationsOperating: count((r) => r.kind === 'town_station' && r.status === 'operating'),
        townStationsQuality: count((r) => r.kind === 'town_station' && r.quality),
        servicePointsOperating: count((r) => r.kind === 'service_point' && r.status === 'operating'),
      },
      villagesWithOperatingServicePoint: villagesWithOwnPoint,
      villageServiceRate: ratio(villagesWithOwnPoint, villageRows.length),
      villagesServedByStationOrPoint: villagesServed,
      workersByLevel: byLevel,
      workers: workerTotal,
      certifiedWorkers: certified,
      certificationRate: ratio(certified, workerTotal),
      trainingSessions: Object.fromEntries<number>([['total', training.reduce((s, r) => s + Number(r.n), 0)], ...training.map((r) => [r.kind, Number(r.n)] as const)]),
      mentoringPairs: { total: Number(mentoring.total), active: Number(mentoring.active) },
      ...Object.fromEntries(facetTotals),
    },
  };
}

export type CoverageReport = Awaited<ReturnType<typeof coverage>>;
