import { formatHundredths } from '../../domain/performance/fixed-point';
import { csvRecord } from '../csv-writer';
import type { SheetScore } from './metric-counters';

/** Spreadsheet programs read UTF-8 as such (Chinese names, ratings) only with a byte-order mark. */
export const BOM = '\uFEFF';

const points = (h: number | null) => (h === null ? null : formatHundredths(h));
/** 不适用 (not applicable) is written out, so a reader never takes an empty cell or 0 for a score. */
const NA = '不适用';

/** One row per worker; scores as points with two decimals; each metric's met and total. */
export function scoresCsv(period: string, policyVersion: number, scores: readonly SheetScore[]): string {
  const keys = [...new Set(scores.flatMap((s) => s.metrics.map((m) => m.key)))].sort();
  const header = [
    'period',
    'policy_version',
    'county_rank',
    'town_rank',
    'worker_id',
    'name',
    'level',
    'town_id',
    'status',
    'discipline',
    'attitude',
    'knowledge',
    'task_completion',
    'total',
    'rating',
    'rating_capped',
    ...keys.flatMap((k) => [`${k}_met`, `${k}_total`, `${k}_score`]),
    'notes',
  ];
  const rows = scores.map((s) => {
    const metric = new Map(s.metrics.map((m) => [m.key, m]));
    return [
      period,
      policyVersion,
      s.rank.county,
      s.rank.town,
      s.workerId,
      s.name,
      s.level,
      s.townId,
      s.status,
      points(s.dimensions.discipline.score),
      points(s.dimensions.attitude.score),
      points(s.dimensions.knowledge.score),
      s.dimensions.task_completion.applicable === false && s.total !== null ? NA : points(s.dimensions.task_completion.score),
      points(s.total),
      s.rating,
      s.ratingCapped,
      ...keys.flatMap((k) => {
        const m = metric.get(k);
        return [m?.met ?? 0, m?.total ?? 0, !m || m.applicable === false ? NA : points(m.score)];
      }),
      (s.notes ?? []).map((n) => n.zh).join(' '),
    ];
  });
  return BOM + [header, ...rows].map((r) => csvRecord(r)).join('');
}
