import type { components } from '../../api/schema';

export type ReportDocument = components['schemas']['ReportDocument'];
type Column = ReportDocument['sections'][number]['columns'][number];
type Cell = string | number | null | undefined;

/** A cell as the printed report shows it: money in yuan (the json carries integer fen), rates in %. */
export function formatCell(value: Cell, type: Column['type']): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value !== 'number') return String(value);
  if (type === 'fen') return (value / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (type === 'percent_bp') return `${(value / 100).toFixed(2)}%`;
  return value.toLocaleString('zh-CN');
}

/** The data of one chart: categories along the axis, one or more series over them. */
export interface ChartData {
  categories: string[];
  series: { name: string; values: number[]; axis: 0 | 1 }[];
}

const SUBTOTAL = ' 小计';
const num = (value: Cell): number => (typeof value === 'number' ? value : 0);

/**
 * Monthly statistics by program: the report's subtotal row of each program (户数, 人数 on the left
 * axis, 支出合计 in yuan on the right); programs without a subtotal row are not in the county's roll.
 */
export function programChart(doc: ReportDocument): ChartData {
  const rows = (doc.sections[0]?.rows ?? []).filter((r) => String(r.program ?? '').endsWith(SUBTOTAL));
  return {
    categories: rows.map((r) => String(r.program).slice(0, -SUBTOTAL.length)),
    series: [
      { name: '户数（户）', values: rows.map((r) => num(r.households)), axis: 0 },
      { name: '人数（人）', values: rows.map((r) => num(r.persons)), axis: 0 },
      { name: '支出合计（元）', values: rows.map((r) => num(r.total) / 100), axis: 1 },
    ],
  };
}

/**
 * Visit completion by town: the report lists villages and workers; the chart sums their groups due
 * and done per town and shows the rate (%), so one bar per town however many villages it has.
 */
export function townCompletionChart(doc: ReportDocument): ChartData {
  const byTown = new Map<string, { due: number; done: number; householdsDue: number; householdsDone: number }>();
  for (const r of doc.sections[0]?.rows ?? []) {
    const town = String(r.town ?? '');
    const sum = byTown.get(town) ?? { due: 0, done: 0, householdsDue: 0, householdsDone: 0 };
    sum.due += num(r.groupsDue);
    sum.done += num(r.groupsDone);
    sum.householdsDue += num(r.householdsDue);
    sum.householdsDone += num(r.householdsDone);
    byTown.set(town, sum);
  }
  const rate = (done: number, due: number) => (due === 0 ? 0 : Math.round((done / due) * 1000) / 10);
  const towns = [...byTown.entries()];
  return {
    categories: towns.map(([town]) => town),
    series: [
      { name: '小组完成率（%）', values: towns.map(([, s]) => rate(s.done, s.due)), axis: 0 },
      { name: '重点户完成率（%）', values: towns.map(([, s]) => rate(s.householdsDone, s.householdsDue)), axis: 0 },
    ],
  };
}

/** The twelve months up to `month` (YYYY-MM), newest first, for the month picker. */
export function lastMonths(month: string, count = 12): string[] {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const index = year * 12 + (mon - 1) - i;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}
