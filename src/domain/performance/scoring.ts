import { FULL, weightedMean } from './fixed-point';
import type { Evidence, MetricValue } from './metric';
import { rateOf } from './fixed-point';
import { COMMITTEE_DIMENSIONS, DIMENSIONS, type Dimension, type Rating, type ScoringPolicy } from './scoring-policy';

/**
 * Pure scoring: metrics and the committee's scores in, per-worker scores, ratings and ranks out.
 * Every score is an integer in hundredths of a point (see fixed-point.ts).
 *
 * - A metric scores met/total; a metric with nothing to measure (total 0, or no source for a key
 *   the policy names) is left out and the other metrics' weights count in its place.
 * - Task completion is the weighted mean of the measured metrics; if none is measured it is left
 *   out of the total likewise.
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
}

export interface DimensionScore {
  weight: number;
  score: number | null;
  source: 'committee' | 'metrics';
  assessment: { assessmentId: string; revision: number } | null;
}

export interface WorkerScore extends WorkerInfo {
  status: 'rated' | 'awaiting_assessment';
  metrics: MetricScore[];
  dimensions: Record<Dimension, DimensionScore>;
  total: number | null;
  rating: Rating | null;
  ratingCapped: boolean;
  rank: { town: number | null; county: number | null };
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
    return { key, weight, met: m?.met ?? 0, total: m?.total ?? 0, score: m && m.total > 0 ? rateOf(m.met, m.total) : null, evidence: m?.evidence ?? [] };
  });
  const task = weightedMean(metricScores.filter((m) => m.score !== null && m.weight > 0).map((m) => ({ score: m.score!, weight: m.weight })));

  const dimensions = Object.fromEntries(
    DIMENSIONS.map((d): [Dimension, DimensionScore] =>
      d === 'task_completion'
        ? [d, { weight: policy.dimensions[d], score: task, source: 'metrics', assessment: null }]
        : [d, { weight: policy.dimensions[d], score: assessment ? assessment.scores[d] * (FULL / 100) : null, source: 'committee', assessment: assessment ? { assessmentId: assessment.assessmentId, revision: assessment.revision } : null }],
    ),
  ) as Record<Dimension, DimensionScore>;
  const total = assessment ? weightedMean(DIMENSIONS.filter((d) => dimensions[d].score !== null && dimensions[d].weight > 0).map((d) => ({ score: dimensions[d].score!, weight: dimensions[d].weight }))) : null;
  return {
    ...worker,
    status: assessment ? 'rated' : 'awaiting_assessment',
    metrics: metricScores,
    dimensions,
    total,
    rating: null,
    ratingCapped: false,
    rank: { town: null, county: null },
  };
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
