import { daysIn } from './assignments';
import { metricOf, METRIC_KEYS, sortEvidence, type Evidence, type MetricValue } from './metric';
import { notApplicableReason, notEmployed } from './not-applicable';
import { clip, type Period } from './period';

/** A worker is scored only for the days employed: [hiredOn, leftOn) within the period. */
export interface Employment {
  hiredOn: string;
  leftOn: string | null;
}
export const employedWithin = (e: Employment, period: Period) => clip(e.hiredOn, e.leftOn, period.from, period.to);

export interface DecisionFact {
  decisionId: string;
  caseId: string;
  decisionDate: string;
  /** The case's review deadline (受理 + statutory days, or as extended). */
  reviewDueOn: string | null;
}

/** Initial decisions the worker took in the period, on or before the case's review deadline. */
export function casesOnTime(period: Period, decisions: readonly DecisionFact[]): MetricValue {
  return metricOf(
    METRIC_KEYS.casesOnTime,
    decisions
      .filter((d) => d.decisionDate >= period.from && d.decisionDate <= period.to)
      .map((d) => ({
        kind: 'decision',
        id: d.decisionId,
        date: d.decisionDate,
        met: d.reviewDueOn === null || d.decisionDate <= d.reviewDueOn,
        by: { id: d.caseId, date: d.reviewDueOn ?? d.decisionDate },
      })),
  );
}

export interface SubmissionFact {
  caseId: string;
  /** The first decision on the case, the supervising level's answer to the submission. */
  decisionId: string;
  decisionDate: string;
  outcome: string;
}

/**
 * Submissions approved vs returned: a case the worker started on a household's behalf
 * (政策找人, CaseApplied.startedByWorkerId) is their submission; its initial decision by the
 * town is the supervisor's answer: granted = approved, denied = returned. Counted in the period
 * of the decision.
 */
export function submissionsApproved(period: Period, submissions: readonly SubmissionFact[]): MetricValue {
  return metricOf(
    METRIC_KEYS.submissionsApproved,
    submissions
      .filter((s) => s.decisionDate >= period.from && s.decisionDate <= period.to)
      .map((s) => ({
        kind: `proactive_application_${s.outcome}`,
        id: s.caseId,
        date: s.decisionDate,
        met: true,
        by: { id: s.decisionId, date: s.decisionDate },
      })),
  );
}

export interface SessionFact {
  sessionId: string;
  heldOn: string;
  attended: boolean;
}

/** Training sessions held in the period while the worker was employed, and which they attended. */
export function trainingAttended(period: Period, employment: Employment, sessions: readonly SessionFact[]): MetricValue {
  const employed = employedWithin(employment, period);
  return metricOf(
    METRIC_KEYS.trainingAttended,
    employed
      ? sessions
          .filter((s) => s.heldOn >= employed.from && s.heldOn <= employed.to)
          .map((s) => ({ kind: 'training_session', id: s.sessionId, date: s.heldOn, met: s.attended }))
      : [],
  );
}

export interface MentoringFact {
  pairId: string;
  role: 'mentor' | 'mentee';
  from: string;
  /** Exclusive; null = ongoing. */
  to: string | null;
}

/**
 * Mentoring (老带新), as mentor or mentee: the share of the days employed in the period (up to
 * `asOf`) spent in at least one pair. Days, not pairs, so a pair formed late counts for little.
 * A worker in no pair during the period is not measured at all (not applicable), never 0 of 181 days.
 */
export function mentoring(period: Period, asOf: string, employment: Employment, pairs: readonly MentoringFact[]): MetricValue {
  const hi = period.to < asOf ? period.to : asOf;
  const employed = clip(employment.hiredOn, employment.leftOn, period.from, hi);
  if (!employed) return { key: METRIC_KEYS.mentoring, met: 0, total: 0, evidence: [], notApplicable: notEmployed };
  const covered = new Set<string>();
  const evidence: Evidence[] = [];
  for (const p of pairs) {
    const within = clip(p.from, p.to, employed.from, employed.to);
    if (!within) continue;
    evidence.push({ kind: `mentoring_${p.role}`, id: p.pairId, date: within.from, met: true, amount: daysIn(within) });
    for (let d = within.from; d <= within.to; d = nextDay(d)) covered.add(d);
  }
  if (evidence.length === 0)
    return { key: METRIC_KEYS.mentoring, met: 0, total: 0, evidence: [], notApplicable: notApplicableReason(METRIC_KEYS.mentoring, true) };
  return { key: METRIC_KEYS.mentoring, met: covered.size, total: daysIn(employed), evidence: sortEvidence(evidence) };
}

const nextDay = (day: string) =>
  new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)) + 1)).toISOString().slice(0, 10);
