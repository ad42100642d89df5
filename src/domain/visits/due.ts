import type { SpecialGroup } from '../households/person';
import { addMonths, firstDayOf, lastDayOf, monthOf, previousMonth } from '../calendar/calendar-months';
import type { SchedulePolicy } from './schedule-policy';

/**
 * What is due and what is overdue, computed from dated facts on the day asked: never stored as
 * a status that could go stale. A group handed to another worker carries its obligations with
 * it, because the responsible worker is read at query time.
 */
export interface Place {
  groupId: string;
  villageId: string;
  townId: string;
  /** Responsible worker (包保) today. */
  workerId: string | null;
}

export interface GroupFacts extends Place {
  registeredOn: string;
}

export interface HouseholdFacts extends Place {
  householdId: string;
  registeredOn: string;
  incomeStability: 'stable' | 'unstable';
  anyoneAbleToWork: boolean;
  memberships: { group: SpecialGroup; from: string; to: string | null }[];
}

export interface VisitFacts {
  groupId: string;
  householdId: string | null;
  date: string;
  kind: string;
}

export type Obligation = 'group_monthly_visit' | 'household_monthly_visit' | 'dynamic_review';

export interface DueItem extends Place {
  obligation: Obligation;
  householdId: string | null;
  /** 'yyyy-mm' for monthly visits; null for reviews. */
  month: string | null;
  dueDate: string;
  status: 'done' | 'due' | 'overdue';
  lastVisit: string | null;
  /** Review interval in months and why, for reviews. */
  interval: { months: number; reason: string } | null;
}

const overlaps = (m: { from: string; to: string | null }, start: string, end: string) => m.from <= end && (m.to === null || m.to > start);

export function computeSchedule(
  today: string,
  policy: SchedulePolicy,
  groups: readonly GroupFacts[],
  households: readonly HouseholdFacts[],
  visits: readonly VisitFacts[],
): DueItem[] {
  const months: string[] = [monthOf(today)];
  for (let i = 0; i < policy.overdueLookbackMonths; i++) months.push(previousMonth(months[months.length - 1]!));

  const groupVisits = new Map<string, string[]>();
  const householdVisits = new Map<string, VisitFacts[]>();
  for (const v of visits) {
    if (v.date > today) continue;
    groupVisits.set(v.groupId, [...(groupVisits.get(v.groupId) ?? []), v.date]);
    if (v.householdId) householdVisits.set(v.householdId, [...(householdVisits.get(v.householdId) ?? []), v]);
  }
  const lastIn = (dates: readonly string[], start: string, end: string) =>
    dates
      .filter((d) => d >= start && d <= end)
      .sort()
      .at(-1) ?? null;
  const items: DueItem[] = [];

  const monthly = (
    place: Place,
    householdId: string | null,
    obligation: Obligation,
    startedOn: string,
    dates: readonly string[],
    applies: (start: string, end: string) => boolean,
  ) => {
    for (const month of months) {
      const start = firstDayOf(month);
      const end = lastDayOf(month);
      if (startedOn > end || !applies(start, end)) continue;
      const last = lastIn(dates, start, end);
      const status = last ? 'done' : end < today ? 'overdue' : 'due';
      items.push({ ...place, obligation, householdId, month, dueDate: end, status, lastVisit: last, interval: null });
    }
  };

  if (policy.monthlyVisit.everyGroup) {
    for (const g of groups) monthly(g, null, 'group_monthly_visit', g.registeredOn, groupVisits.get(g.groupId) ?? [], () => true);
  }

  const monthlyGroups = new Set(policy.monthlyVisit.specialGroups);
  const beneficiaryGroups = new Set(policy.dynamicReview.beneficiaryGroups);
  for (const h of households) {
    const place: Place = { groupId: h.groupId, villageId: h.villageId, townId: h.townId, workerId: h.workerId };
    const dates = (householdVisits.get(h.householdId) ?? []).map((v) => v.date);
    monthly(place, h.householdId, 'household_monthly_visit', h.registeredOn, dates, (start, end) =>
      h.memberships.some((m) => monthlyGroups.has(m.group) && overlaps(m, start, end)),
    );

    const enrolled = h.memberships.filter((m) => beneficiaryGroups.has(m.group) && m.from <= today && (m.to === null || m.to > today));
    if (enrolled.length === 0) continue;
    const since = enrolled.map((m) => m.from).sort()[0]!;
    const interval = reviewInterval(policy, h, enrolled);
    const lastReview =
      (householdVisits.get(h.householdId) ?? [])
        .filter((v) => v.kind === 'review' && v.date >= since)
        .map((v) => v.date)
        .sort()
        .at(-1) ?? null;
    const dueDate = addMonths(lastReview ?? since, interval.months);
    items.push({
      ...place,
      obligation: 'dynamic_review',
      householdId: h.householdId,
      month: null,
      dueDate,
      status: dueDate < today ? 'overdue' : 'due',
      lastVisit: lastReview,
      interval,
    });
  }
  return items;
}

/**
 * How often a household enrolled in these groups gets its dynamic review (动态复核): the long
 * interval for extreme-poverty support (特困), the short one for unstable income with someone
 * able to work, else the long one. The schedule and the performance metric both ask here.
 */
export function reviewInterval(
  policy: SchedulePolicy,
  household: Pick<HouseholdFacts, 'incomeStability' | 'anyoneAbleToWork'>,
  enrolled: readonly { group: string }[],
): { months: number; reason: string } {
  const long: readonly string[] = policy.dynamicReview.longIntervalGroups;
  if (enrolled.some((m) => long.includes(m.group)))
    return { months: policy.dynamicReview.otherMonths, reason: 'extreme-poverty support (特困): long interval' };
  if (household.incomeStability === 'unstable' && household.anyoneAbleToWork)
    return { months: policy.dynamicReview.unstableAbleToWorkMonths, reason: 'unstable income and able to work' };
  return { months: policy.dynamicReview.otherMonths, reason: household.incomeStability === 'stable' ? 'stable income' : 'no one able to work' };
}
