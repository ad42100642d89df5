import { formatHundredths } from '../../domain/performance/fixed-point';
import { csvDocument, type CsvCell, type CsvColumn, type CsvLang } from '../csv-writer';
import { DIMENSION_LABELS, METRIC_LABELS } from '../../domain/performance/not-applicable';
import type { SheetScore } from './metric-counters';

/** Spreadsheet programs read UTF-8 as such (Chinese names, ratings) only with a byte-order mark. */
export const BOM = '\uFEFF';

const points = (h: number | null) => (h === null ? null : formatHundredths(h));
/** 不适用 (not applicable) is written out, so a reader never takes an empty cell or 0 for a score. */
const NA = '不适用';

const FIXED: readonly CsvColumn[] = [
  { key: 'period', zh: '考核期', en: 'period' },
  { key: 'policy_version', zh: '考核办法版本', en: 'policy_version' },
  { key: 'county_rank', zh: '全县排名', en: 'county_rank' },
  { key: 'town_rank', zh: '乡镇排名', en: 'town_rank' },
  { key: 'worker_id', zh: '社工编号', en: 'worker_id' },
  { key: 'name', zh: '姓名', en: 'name' },
  { key: 'level', zh: '层级', en: 'level', vocabulary: 'worker_level' },
  { key: 'town_id', zh: '乡镇编号', en: 'town_id' },
  { key: 'status', zh: '状态', en: 'status', vocabulary: 'rating_status' },
  { key: 'discipline', zh: DIMENSION_LABELS['discipline']?.zh ?? 'discipline', en: 'discipline' },
  { key: 'attitude', zh: DIMENSION_LABELS['attitude']?.zh ?? 'attitude', en: 'attitude' },
  { key: 'knowledge', zh: DIMENSION_LABELS['knowledge']?.zh ?? 'knowledge', en: 'knowledge' },
  { key: 'task_completion', zh: DIMENSION_LABELS['task_completion']?.zh ?? 'task_completion', en: 'task_completion' },
  { key: 'total', zh: '总分', en: 'total' },
  { key: 'rating', zh: '等次', en: 'rating', vocabulary: 'rating' },
  { key: 'rating_capped', zh: '等次受限', en: 'rating_capped', vocabulary: 'boolean_text' },
];
const NOTES: CsvColumn = { key: 'notes', zh: '说明', en: 'notes' };
const metricColumns = (k: string): CsvColumn[] => {
  const label = METRIC_LABELS[k]?.zh ?? k;
  return [
    { key: `${k}_met`, zh: `${label}（完成数）`, en: `${k}_met` },
    { key: `${k}_total`, zh: `${label}（应完成数）`, en: `${k}_total` },
    { key: `${k}_score`, zh: `${label}（得分）`, en: `${k}_score` },
  ];
};

/** One row per worker; scores as points with two decimals; each metric's met and total. Chinese headers unless `lang` is en. */
export function scoresCsv(period: string, policyVersion: number, scores: readonly SheetScore[], lang: CsvLang = 'zh'): string {
  const keys = [...new Set(scores.flatMap((s) => s.metrics.map((m) => m.key)))].sort();
  const columns = [...FIXED, ...keys.flatMap(metricColumns), NOTES];
  const rows = scores.map((s) => {
    const metric = new Map(s.metrics.map((m) => [m.key, m]));
    const cells: CsvCell[] = [
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
    return Object.fromEntries(columns.map((c, i) => [c.key, cells[i]]));
  });
  return csvDocument(columns, rows, lang);
}
