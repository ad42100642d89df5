import { daysInMonth, firstDayOf, lastDayOf } from '../calendar/calendar-months';
import { computeSchedule, type GroupFacts, type HouseholdFacts } from '../visits/due';
import type { SchedulePolicy } from '../visits/schedule-policy';
import { daysIn, heldWithin, type Assignment } from './assignments';
import { metricOf, METRIC_KEYS, type Evidence, type MetricValue } from './metric';
import type { Period } from './period';
import { latestInForce } from '../shared/policy/policy-versions';

export interface WorkerVisit {
  visitId: string;
  groupId: string;
  householdId: string | null;
  date: string;
  kind: string;
  late: boolean;
}

export interface VisitObligationFacts {
  period: Period;
  /** County day the scores are computed on: obligations still open on it are not missed yet. */
  asOf: string;
  minHeldDaysPerMonth: number;
  schedulePolicies: readonly SchedulePolicy[];
  assignments: readonly Assignment[];
  groups: ReadonlyMap<string, GroupFacts>;
  householdsByGroup: ReadonlyMap<string, readonly HouseholdFacts[]>;
  /** This worker's visits. */
  visits: readonly WorkerVisit[];
}

/**
 * 一月一走访, per worker: for each month of the period and each group the worker held for at
 * least `minHeldDaysPerMonth` days of it (or the whole month, if shorter), the monthly visit
 * obligations of the group and its special-group households, as `computeSchedule` defines
 * them under the schedule policy in force at the month's end. Only the worker's own visits on
 * days they held the group meet them. An obligation of a month not yet over and not yet met is
 * pending, not missed, and is left out.
 */
export function visitObligations(f: VisitObligationFacts): MetricValue {
  const evidence: Evidence[] = [];
  for (const month of f.period.months) {
    const start = firstDayOf(month);
    const end = lastDayOf(month);
    if (start > f.asOf) break;
    const policy = latestInForce(f.schedulePolicies, end);
    if (!policy) continue;
    const minDays = Math.min(f.minHeldDaysPerMonth, daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7))));
    for (const a of f.assignments) {
      const held = heldWithin(a, start, end);
      const group = f.groups.get(a.groupId);
      if (!held || !group || daysIn(held) < minDays) continue;
      const visits = f.visits.filter((v) => v.groupId === a.groupId && v.date >= held.from && v.date <= held.to && v.date <= f.asOf);
      // computeSchedule on the month's last day with no look-back gives exactly that month.
      const items = computeSchedule(end, { ...policy, overdueLookbackMonths: 0 }, [group], f.householdsByGroup.get(a.groupId) ?? [], visits).filter(
        (i) => i.month === month && i.obligation !== 'dynamic_review',
      );
      for (const item of items) {
        const met = item.status === 'done';
        if (!met && end >= f.asOf) continue;
        const by = met
          ? visits
              .filter((v) => v.date === item.lastVisit && (item.householdId ? v.householdId === item.householdId : true))
              .sort((x, y) => (x.visitId < y.visitId ? -1 : 1))[0]
          : undefined;
        evidence.push({ kind: item.obligation, id: item.householdId ?? item.groupId, date: month, met, by: by ? { id: by.visitId, date: by.date } : null });
      }
    }
  }
  return metricOf(METRIC_KEYS.visitsDone, evidence);
}

/** Visits recorded on the day they happened, of all the worker's visits in the period (back-dated = late). */
export function visitsOnTime(period: Period, visits: readonly WorkerVisit[]): MetricValue {
  return metricOf(
    METRIC_KEYS.visitsOnTime,
    visits.filter((v) => v.date >= period.from && v.date <= period.to).map((v) => ({ kind: 'visit', id: v.visitId, date: v.date, met: !v.late })),
  );
}
