import { addMonths } from '../calendar/calendar-months';
import { reviewInterval, type HouseholdFacts } from '../visits/due';
import type { SchedulePolicy } from '../visits/schedule-policy';
import { heldOn, type Assignment } from './assignments';
import { metricOf, METRIC_KEYS, type Evidence, type MetricValue } from './metric';
import type { Period } from './period';
import { latestInForce } from '../shared/policy/policy-versions';

export interface ReviewVisit {
  visitId: string;
  householdId: string;
  date: string;
}

export interface ReviewFacts {
  period: Period;
  asOf: string;
  schedulePolicies: readonly SchedulePolicy[];
  assignments: readonly Assignment[];
  /** Households of the groups the worker held at some time in the period. */
  households: readonly HouseholdFacts[];
  /** Review visits to those households, by anyone, at any time (the chain needs the earlier ones). */
  reviews: readonly ReviewVisit[];
}

/**
 * 半年核对应, per worker: walks each enrolled household's review chain from enrolment — due =
 * last review (or enrolment) + interval — and takes the due dates that fall in the period on a
 * day the worker held the household's group. Met when the next review came on or before the
 * due date (whoever recorded it: the household was reviewed on time). A missed review re-anchors
 * the chain at the late review, or at the due date if none came yet. Due dates still ahead of
 * `asOf` and not yet met are pending, not missed. The interval is `reviewInterval`, the
 * schedule's own rule, on today's facts.
 */
export function reviewObligations(f: ReviewFacts): MetricValue {
  const evidence: Evidence[] = [];
  const policy = latestInForce(f.schedulePolicies, f.period.to < f.asOf ? f.period.to : f.asOf);
  if (!policy) return metricOf(METRIC_KEYS.reviewsOnTime, evidence);
  const beneficiary = new Set<string>(policy.dynamicReview.beneficiaryGroups);
  for (const h of f.households) {
    const enrolled = h.memberships.filter((m) => beneficiary.has(m.group));
    if (enrolled.length === 0) continue;
    const { months } = reviewInterval(policy, h, enrolled);
    const isEnrolledOn = (day: string) => enrolled.some((m) => m.from <= day && (m.to === null || m.to > day));
    const reviews = f.reviews
      .filter((r) => r.householdId === h.householdId)
      .sort((a, b) => (a.date === b.date ? (a.visitId < b.visitId ? -1 : 1) : a.date < b.date ? -1 : 1));
    let anchor = enrolled.map((m) => m.from).sort()[0]!;
    // Bounded: each step moves the anchor forward by at least a day.
    for (let guard = 0; guard < 1000; guard++) {
      const due = addMonths(anchor, months);
      if (due > f.period.to) break;
      const next = reviews.find((r) => r.date > anchor) ?? null;
      const met = next !== null && next.date <= due;
      const counts = due >= f.period.from && isEnrolledOn(due) && heldOn(f.assignments, h.groupId, due) && (met || due < f.asOf);
      if (counts)
        evidence.push({
          kind: 'dynamic_review',
          id: h.householdId,
          date: due,
          met,
          by: next && next.date <= f.asOf ? { id: next.visitId, date: next.date } : null,
        });
      if (!met && due >= f.asOf) break;
      anchor = next && next.date > anchor ? next.date : due;
    }
  }
  return metricOf(METRIC_KEYS.reviewsOnTime, evidence);
}
