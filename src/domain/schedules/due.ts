import type { SpecialGroup } from '../households/person';
import { addMonths, firstDayOf, lastDayOf, monthOf, previousMonth } from './calendar-months';
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
  const lastIn = (dates: readonly string[], start: string, end: string) => dates.filter((d) => d >= start && d <= end).sort().at(-1) ?? null;
  const items: DueItem[] = [];

  const monthly = (place: Place, householdId: string | null, obligation: Obligation, startedOn: string, dates: readonly string[], applies: (start: string, end: string) => boolean) => {
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
  const longGroups = new Set(policy.dynamicReview.longIntervalGroups);
  for (const h of households) {
    const place: Place = { groupId: h.groupId, villageId: h.villageId, townId: h.townId, workerId: h.workerId };
    const dates = (householdVisits.get(h.householdId) ?? []).map((v) => v.date);
    monthly(place, h.householdId, 'household_monthly_visit', h.registeredOn, dates, (start, end) =>
      h.memberships.some((m) => monthlyGroups.has(m.group) && overlaps(m, start, end)),
    );

    const enrolled = h.memberships.filter((m) => beneficiaryGroups.has(m.group) && m.from <= today && (m.to === null || m.to > today));
    if (enrolled.length === 0) continue;
    const since = enrolled.map((m) => m.from).sort()[0]!;
    const interval = enrolled.some((m) => longGroups.has(m.group))
      ? { months: policy.dynamicReview.otherMonths, reason: 'extreme-poverty support (特困): long interval' }
      : h.incomeStability === 'unstable' && h.anyoneAbleToWork
        ? { months: policy.dynamicReview.unstableAbleToWorkMonths, reason: 'unstable income and able to work' }
        : { months: policy.dynamicReview.otherMonths, reason: h.incomeStability === 'stable' ? 'stable income' : 'no one able to work' };
    const lastReview =
      (householdVisits.get(h.householdId) ?? [])
        .filter((v) => v.kind === 'review' && v.date >= since)
        .map((v) => v.date)
        .sort()
        .at(-1) ?? null;
    const dueDate = addMonths(lastReview ?? since, interval.months);
    items.push({ ...place, obligation: 'dynamic_review', householdId: h.householdId, month: null, dueDate, status: dueDate < today ? 'overdue' : 'due', lastVisit: lastReview, interval });
  }
  return items;
}
