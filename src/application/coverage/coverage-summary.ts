/**
 * The coverage report without its groups (issue 20): the county's 1,103 groups, each with its
 * responsible worker, linked workers and visit counts, are 90 % of a 480 KB answer. A summary
 * keeps towns, villages, gaps and totals and gives each village its groups as counts; the groups
 * themselves come with `?village=` (drill-down) or `?detail=groups` (the whole tree).
 */
export type CoverageDetail = 'summary' | 'groups';

interface GroupLike {
  responsibleWorker: unknown;
  visitedThisMonth?: unknown;
}
interface ReportLike {
  towns: readonly { villages: readonly { groups: readonly GroupLike[] }[] }[];
}

/**
 * What a village's groups come to: the counts the bureau's board draws its gaps from. "Not
 * visited" counts only groups the report says were not (a report without the visits facet says
 * nothing about visits).
 */
export function groupCounts(groups: readonly GroupLike[]) {
  return {
    total: groups.length,
    withoutResponsibleWorker: groups.filter((g) => g.responsibleWorker == null).length,
    visitedThisMonth: groups.filter((g) => g.visitedThisMonth === true).length,
    notVisitedThisMonth: groups.filter((g) => g.visitedThisMonth === false).length,
  };
}

type TownOf<R extends ReportLike> = R['towns'][number];
type VillageOf<R extends ReportLike> = TownOf<R>['villages'][number];
export type GroupCounts = ReturnType<typeof groupCounts>;
export type CoverageAt<R extends ReportLike> = Omit<R, 'towns'> & {
  detail: CoverageDetail;
  towns: (Omit<TownOf<R>, 'villages'> & { villages: (VillageOf<R> & { groupCounts: GroupCounts })[] })[];
};

/** The report as asked: `groups` adds to each village its count of groups; `summary` also empties the group lists. */
export function coverageAtDetail<R extends ReportLike>(report: R, detail: CoverageDetail): CoverageAt<R> {
  return {
    ...report,
    detail,
    towns: report.towns.map((town) => ({
      ...town,
      villages: town.villages.map((village) => ({
        ...village,
        groupCounts: groupCounts(village.groups),
        groups: detail === 'groups' ? village.groups : [],
      })),
    })),
  } as CoverageAt<R>;
}
