import type { paths } from '../../api/schema';

export type ScoresView = paths['/api/v1/performance']['get']['responses'][200]['content']['application/json'];
export type SheetScore = ScoresView['items'][number];
export type SheetMetric = SheetScore['metrics'][number];
export type EvidencePage =
  paths['/api/v1/performance/{period}/workers/{workerId}/metrics/{metric}/evidence']['get']['responses'][200]['content']['application/json'];
export type Evidence = EvidencePage['items'][number];

/** Half-year periods the sheet offers, newest first (the demo county's year is 2023). */
export const PERIODS = ['2023-H2', '2023-H1'] as const;

/** Hundredths of a point as the sheet prints them: 8750 → "87.50"; null (not rated yet) → "—". */
export const points = (hundredths: number | null): string => (hundredths === null ? '—' : (hundredths / 100).toFixed(2));

/** The sheet in county order: ranked workers by county rank, the unranked (awaiting assessment) after, by name. */
export function inCountyOrder(items: readonly SheetScore[]): SheetScore[] {
  return [...items].sort((a, b) => (a.rank.county ?? Infinity) - (b.rank.county ?? Infinity) || a.name.localeCompare(b.name, 'zh-CN'));
}

/** How many 优秀 the sheet gave and how many were held back by the cap (rated 合格 though scored for 优秀). */
export function excellentCount(items: readonly SheetScore[]): { excellent: number; capped: number } {
  return { excellent: items.filter((s) => s.rating === '优秀').length, capped: items.filter((s) => s.ratingCapped).length };
}
