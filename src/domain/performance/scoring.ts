import { FULL, weightedMean } from './fixed-point';
import type { Evidence, MetricValue } from './metric';
import { rateOf } from './fixed-point';
import { COMMITTEE_DIMENSIONS, DIMENSIONS, type Dimension, type Rating, type ScoringPolicy } from './scoring-policy';
import { DIMENSION_LABELS, METRIC_LABELS, notApplicableReason, type NotApplicable } from './not-applicable';
import type { Bilingual } from '../assistance/eligibility/eligibility-result';

/**
 * Pure scoring: metrics and the committee's scores in, per-worker scores, ratings and ranks out.
 * Every score is an integer in hundredths of a point (see fixed-point.ts).
 *
 * - A metric scores met/total; a metric with nothing to measure (total 0, or no source for a key
 *   the policy names) is *not applicable*: never a 0, its weight is shared among the applicable
 *   metrics (`effectiveWeightBp` shows each one's share), and `notes` says so in words.
 * - Task completion is the weighted mean of the applicable metrics; if none applies the dimension
 *   is not applicable and its weight is shared among the committee's dimensions the same way.
 * - Without the committee's assessment a worker is `awaiting_assessment`: no total, no rating, no rank.
 * - Rank: total, then task completion, discipline, attitude, knowledge (higher first), then worker
 *   id — unique and the same on every run. Town rank is the same order within the worker's town.
 * - The excellent cap keeps 优秀 for the first floor(cap% × rated) workers in county order; the
 *   others above the threshold are rated 合格 and marked `ratingCapped`.
 */
export interface WorkerInfo {
  workerId: string;
  name: string;
  level: string;
  townId: string | null;
}

export interface AssessmentInput {
  assessmentId: string;
  revision: number;
  scores: Record<(typeof COMMITTEE_DIMENSIONS)[number], number>;
}

export interface ScoringInput {
  worker: WorkerInfo;
  metrics: readonly MetricValue[];
  assessment: AssessmentInput | null;
}

export interface MetricScore {
  key: string;
  weight: number;
  met: number;
  total: number;
  /** Hundredths; null when nothing was there to measure. */
  score: number | null;
  evidence: Evidence[];
  /** False when the worker had no facts this metric measures: it then weighs nothing. */
  applicable: boolean;
  notApplicable: NotApplicable | null;
  /** This metric's share of task completion after not-applicable metrics were left out, in basis points. */
  effectiveWeightBp: number;
}

export interface DimensionScore {
  weight: number;
  score: number | null;
  source: 'committee' | 'metrics';
  assessment: { assessmentId: string; revision: number } | null;
  applicable: boolean;
  /** Share of the total after not-applicable dimensions were left out, in basis points. */
  effectiveWeightBp: number;
}

export interface WorkerScore extends WorkerInfo {
  status: 'rated' | 'awaiting_assessment';
  metrics: MetricScore[];
  dimensions: Record<Dimension, DimensionScore>;
  total: number | null;
  rating: Rating | null;
  ratingCapped: boolean;
  rank: { town: number | null; county: number | null };
  /** What the sheet must say besides the numbers: which metrics did not apply, and where their weight went. */
  notes: Bilingual[];
}

export function scoreWorkers(policy: ScoringPolicy, inputs: readonly ScoringInput[]): WorkerScore[] {
  const scored = inputs.map((input) => scoreOne(policy, input));
  const order = scored.filter((s) => s.total !== null).sort(compareForRank);
  order.forEach((s, i) => (s.rank.county = i + 1));
  const townSeen = new Map<string, number>();
  for (const s of order) {
    if (s.townId === null) continue;
    const n = (townSeen.get(s.townId) ?? 0) + 1;
    townSeen.set(s.townId, n);
    s.rank.town = n;
  }
  const maxExcellent = policy.excellentCapPercent === null ? Infinity : Math.floor((policy.excellentCapPercent * order.length) / 100);
  let excellent = 0;
  for (const s of order) {
    const earned = ratingFor(policy, s.total!);
    if (earned === '优秀' && excellent >= maxExcellent) {
      s.rating = '合格';
      s.ratingCapped = true;
    } else {
      s.rating = earned;
      if (earned === '优秀') excellent++;
    }
  }
  const unrated = scored.filter((s) => s.total === null).sort((a, b) => cmp(a.workerId, b.workerId));
  return [...order, ...unrated];
}

export function ratingFor(policy: ScoringPolicy, total: number): Rating {
  if (total >= policy.ratings.excellent * 100) return '优秀';
  if (total >= policy.ratings.qualified * 100) return '合格';
  return '不合格';
}

function scoreOne(policy: ScoringPolicy, { worker, metrics, assessment }: ScoringInput): WorkerScore {
  const byKey = new Map(metrics.map((m) => [m.key, m]));
  const keys = [...new Set([...Object.keys(policy.taskMetrics), ...byKey.keys()])].sort(cmp);
  const metricScores: MetricScore[] = keys.map((key) => {
    const m = byKey.get(key);
    const weight = policy.taskMetrics[key] ?? 0;
    const applicable = !!m && m.total > 0;
    return {
      key,
      weight,
      met: m?.met ?? 0,
      total: m?.total ?? 0,
      score: applicable ? rateOf(m.met, m.total) : null,
      evidence: m?.evidence ?? [],
      applicable,
      notApplicable: applicable ? null : (m?.notApplicable ?? notApplicableReason(key, !!m)),
      effectiveWeightBp: 0,
    };
  });
  const counted = metricScores.filter((m) => m.applicable && m.weight > 0);
  shareWeights(counted);
  const task = weightedMean(counted.map((m) => ({ score: m.score!, weight: m.weight })));

  const dimensions = Object.fromEntries(
    DIMENSIONS.map((d): [Dimension, DimensionScore] =>
      d === 'task_completion'
        ? [d, { weight: policy.dimensions[d], score: task, source: 'metrics', assessment: null, applicable: task !== null, effectiveWeightBp: 0 }]
        : [
            d,
            {
              weight: policy.dimensions[d],
              score: assessment ? assessment.scores[d] * (FULL / 100) : null,
              source: 'committee',
              assessment: assessment ? { assessmentId: assessment.assessmentId, revision: assessment.revision } : null,
              applicable: true,
              effectiveWeightBp: 0,
            },
          ],
    ),
  ) as Record<Dimension, DimensionScore>;
  const countedDimensions = DIMENSIONS.filter((d) => dimensions[d].score !== null && dimensions[d].weight > 0).map((d) => dimensions[d]);
  if (assessment) shareWeights(countedDimensions);
  const total = assessment ? weightedMean(countedDimensions.map((x) => ({ score: x.score!, weight: x.weight }))) : null;
  return {
    ...worker,
    status: assessment ? 'rated' : 'awaiting_assessment',
    metrics: metricScores,
    dimensions,
    total,
    rating: null,
    ratingCapped: false,
    rank: { town: null, county: null },
    notes: notesFor(policy, metricScores, dimensions),
  };
}

/** Each counted part's share of the weights that count, in basis points (half up; shown, not used to compute). */
function shareWeights(parts: { weight: number; effectiveWeightBp: number }[]): void {
  const sum = parts.reduce((s, p) => s + p.weight, 0);
  for (const p of parts) p.effectiveWeightBp = sum === 0 ? 0 : Math.floor((2 * p.weight * 10_000 + sum) / (2 * sum));
}

const pct = (bp: number) => `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;

function notesFor(policy: ScoringPolicy, metrics: readonly MetricScore[], dimensions: Record<Dimension, DimensionScore>): Bilingual[] {
  const notes: Bilingual[] = [];
  const label = (key: string) => METRIC_LABELS[key] ?? { zh: key, en: key };
  const skipped = metrics.filter((m) => !m.applicable && m.weight > 0);
  const counted = metrics.filter((m) => m.applicable && m.weight > 0);
  for (const m of skipped) {
    notes.push({
      zh: `“${label(m.key).zh}”不适用：${m.notApplicable!.zh}；其权重${m.weight}不计，由工作任务完成情况中的其他适用指标按权重分摊。`,
      en: `"${label(m.key).en}" does not apply: the worker ${m.notApplicable!.en}; its weight ${m.weight} is shared among the other applicable task-completion metrics.`,
    });
  }
  if (skipped.length > 0 && counted.length > 0) {
    notes.push({
      zh: `工作任务完成情况按适用指标计算：${counted.map((m) => `${label(m.key).zh}${pct(m.effectiveWeightBp)}`).join('，')}。`,
      en: `Task completion is computed from the applicable metrics: ${counted.map((m) => `${label(m.key).en} ${pct(m.effectiveWeightBp)}`).join(', ')}.`,
    });
  }
  const task = dimensions.task_completion;
  if (!task.applicable && policy.dimensions.task_completion > 0) {
    const others = DIMENSIONS.filter((d) => d !== 'task_completion' && dimensions[d].score !== null && dimensions[d].weight > 0);
    notes.push({
      zh: `${DIMENSION_LABELS.task_completion!.zh}不适用：考核期内无任何适用的工作任务指标；其权重${task.weight}由${others.length ? others.map((d) => `${DIMENSION_LABELS[d]!.zh}${pct(dimensions[d].effectiveWeightBp)}`).join('、') : '其他维度'}分摊，不按0分计。`,
      en: `${DIMENSION_LABELS.task_completion!.en} does not apply: no task-completion metric had facts to measure in the period; its weight ${task.weight} is shared among ${others.length ? others.map((d) => `${DIMENSION_LABELS[d]!.en} ${pct(dimensions[d].effectiveWeightBp)}`).join(', ') : 'the other dimensions'}, not scored as 0.`,
    });
  }
  return notes;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const desc = (a: number | null, b: number | null) => (b ?? -1) - (a ?? -1);

function compareForRank(a: WorkerScore, b: WorkerScore): number {
  return (
    desc(a.total, b.total) ||
    desc(a.dimensions.task_completion.score, b.dimensions.task_completion.score) ||
    desc(a.dimensions.discipline.score, b.dimensions.discipline.score) ||
    desc(a.dimensions.attitude.score, b.dimensions.attitude.score) ||
    desc(a.dimensions.knowledge.score, b.dimensions.knowledge.score) ||
    cmp(a.workerId, b.workerId)
  );
}
