import type { NotApplicable } from './not-applicable';
/**
 * A metric is "met of total" with the facts behind it. Every source (visits, reviews, cases,
 * training, mentoring, and those other modules add) produces this one shape, so scoring and
 * the explanation never need to know where a number came from.
 */
export interface Evidence {
  /** What kind of fact: 'group_monthly_visit', 'visit', 'decision', 'training_session', … */
  kind: string;
  /** Id of the row or event behind it: visit, case, session, mentoring pair, group, household. */
  id: string;
  /** The day it is about ('yyyy-mm' for a monthly obligation). */
  date: string;
  /** Whether it counted as met. */
  met: boolean;
  /** The fact that met it (e.g. the visit id and date), when there is one. */
  by?: { id: string; date: string } | null;
  /** Amount, for metrics measured in days rather than items. */
  amount?: number;
}

export interface MetricValue {
  key: string;
  met: number;
  total: number;
  evidence: Evidence[];
  /** Set by a source that knows why there is nothing to measure (e.g. not in a mentoring pair). */
  notApplicable?: NotApplicable;
}

export const metricOf = (key: string, evidence: Evidence[]): MetricValue => ({
  key,
  met: evidence.filter((e) => e.met).length,
  total: evidence.length,
  evidence: sortEvidence(evidence),
});

/** Explanations list facts in a fixed order, so a rebuild gives byte-identical output. */
export function sortEvidence(evidence: Evidence[]): Evidence[] {
  return [...evidence].sort((a, b) =>
    a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.kind !== b.kind ? (a.kind < b.kind ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}

/** The built-in metric keys (other modules add theirs, e.g. tasks answered within deadline). */
export const METRIC_KEYS = {
  visitsDone: 'visits_done',
  visitsOnTime: 'visits_on_time',
  reviewsOnTime: 'reviews_on_time',
  casesOnTime: 'cases_on_time',
  submissionsApproved: 'submissions_approved',
  trainingAttended: 'training_attended',
  mentoring: 'mentoring',
} as const;
