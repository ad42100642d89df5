import { z } from 'zod';

/**
 * GET /api/v1/coverage, read at the edge: its OpenAPI types the towns as `unknown[]` (the report is
 * composed from facets), so the board checks the shape it draws with zod. Loose objects: fields the
 * service adds later pass through untouched, and a facet missing (no visits read model) is absent,
 * not an error.
 */
const Worker = z.looseObject({ workerId: z.string(), name: z.string() });

const Group = z.looseObject({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  villageId: z.string(),
  responsibleWorker: z.looseObject({ workerId: z.string(), name: z.string(), level: z.string() }).nullable(),
  linkedTownWorkers: z.array(Worker).default([]),
  visitedThisMonth: z.boolean().optional(),
  visitsThisMonth: z.number().optional(),
  householdsVisitedThisMonth: z.number().optional(),
});

const Village = z.looseObject({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  townId: z.string(),
  servicePoint: z.looseObject({ stationId: z.string(), status: z.string() }).nullable(),
  groups: z.array(Group),
});

const Town = z.looseObject({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  townStation: z.looseObject({ stationId: z.string(), status: z.string(), quality: z.boolean().nullable() }).nullable(),
  linkedCountyWorkers: z.array(Worker).default([]),
  villages: z.array(Village),
});

const rate = z.number().nullable().optional();
const count = z.number().optional();

export const CoverageReport = z.looseObject({
  asOf: z.string(),
  towns: z.array(Town),
  totals: z.looseObject({
    towns: count,
    villages: count,
    groups: count,
    groupsCovered: count,
    groupCoverageRate: rate,
    villagesWithOperatingServicePoint: count,
    villageServiceRate: rate,
    workers: count,
    certifiedWorkers: count,
    certificationRate: rate,
    visitsThisMonth: z.looseObject({ groupsVisited: count, visits: count }).optional(),
  }),
});

export type CoverageReport = z.infer<typeof CoverageReport>;
export type TownCoverage = CoverageReport['towns'][number];
export type VillageCoverage = TownCoverage['villages'][number];
export type GroupCoverage = VillageCoverage['groups'][number];

/** What the board highlights, one code per kind of gap (issue 17). */
export type Gap = 'no-responsible-worker' | 'not-visited-this-month' | 'no-operating-point';

/**
 * A group's gaps. "Not visited this month" only when the report says so: a report without the
 * visits facet says nothing about visits, and the board must not invent a gap from a missing field.
 */
export function groupGaps(group: GroupCoverage): Gap[] {
  const gaps: Gap[] = [];
  if (!group.responsibleWorker) gaps.push('no-responsible-worker');
  if (group.visitedThisMonth === false) gaps.push('not-visited-this-month');
  return gaps;
}

/** A village's own gap: no service point operating in it (planned or none at all). */
export const villageGaps = (village: VillageCoverage): Gap[] => (village.servicePoint?.status === 'operating' ? [] : ['no-operating-point']);

/** Gaps counted by kind, over the groups and villages below a row of the board. */
export type GapCounts = Record<Gap, number>;

const none = (): GapCounts => ({ 'no-responsible-worker': 0, 'not-visited-this-month': 0, 'no-operating-point': 0 });

export function villageGapCounts(village: VillageCoverage): GapCounts {
  const counts = none();
  for (const gap of villageGaps(village)) counts[gap] += 1;
  for (const group of village.groups) for (const gap of groupGaps(group)) counts[gap] += 1;
  return counts;
}

export function townGapCounts(town: TownCoverage): GapCounts {
  const counts = none();
  for (const village of town.villages) {
    const v = villageGapCounts(village);
    for (const gap of Object.keys(counts) as Gap[]) counts[gap] += v[gap];
  }
  return counts;
}

export const totalGaps = (counts: GapCounts): number => counts['no-responsible-worker'] + counts['not-visited-this-month'] + counts['no-operating-point'];

/** A rate of the report (0.873) as the board prints it (87.3%); "—" when there is nothing to divide. */
export const percent = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`);

/** Place names by id, for screens whose API answers carry ids only (overdue visits, cases). */
export function placeNames(report: CoverageReport): Map<string, string> {
  const names = new Map<string, string>();
  for (const town of report.towns) {
    names.set(town.id, town.name);
    for (const village of town.villages) {
      names.set(village.id, village.name);
      for (const group of village.groups) names.set(group.id, group.name);
    }
  }
  return names;
}
