import { z } from 'zod';
import { DomainRuleViolation } from '../shared/errors';
import { addDays, isoWeekday, toDayNumber } from './working-days.iso-date';

/**
 * A working-day calendar as data. China's weeks are not regular: the State Council announces
 * each year which days are public holidays and which weekend days become working days to pay
 * for a longer break (调休). A day is a working day when it is a swapped weekend day, or when it
 * is neither a weekend day nor a holiday.
 *
 * A calendar only knows the years it was configured for (`coversFrom`..`coversTo`, inclusive).
 * Asking about a day outside them is an error rather than a guess, because a deadline counted
 * over an unconfigured Spring Festival would be silently wrong by a week.
 */
const IsoDate = z.iso.date();

export const WorkingDayCalendarSchema = z
  .object({
    id: z.string().min(1),
    coversFrom: IsoDate,
    coversTo: IsoDate,
    /** ISO weekdays (Monday 1 … Sunday 7) that are normally rest days. */
    weekendDays: z.array(z.int().min(1).max(7)).default([6, 7]),
    /** Public holidays (法定节假日 and the days off around them). */
    holidays: z.array(IsoDate),
    /** Weekend days worked because of a holiday swap (调休上班). */
    workingWeekendDays: z.array(IsoDate),
  })
  .superRefine((calendar, ctx) => {
    if (calendar.coversTo < calendar.coversFrom) ctx.addIssue({ code: 'custom', path: ['coversTo'], message: 'coversTo is before coversFrom' });
    const outside = (d: string) => d < calendar.coversFrom || d > calendar.coversTo;
    calendar.holidays.forEach((d, i) => {
      if (outside(d)) ctx.addIssue({ code: 'custom', path: ['holidays', i], message: `${d} is outside the calendar's coverage` });
    });
    calendar.workingWeekendDays.forEach((d, i) => {
      if (outside(d)) ctx.addIssue({ code: 'custom', path: ['workingWeekendDays', i], message: `${d} is outside the calendar's coverage` });
      if (calendar.holidays.includes(d)) ctx.addIssue({ code: 'custom', path: ['workingWeekendDays', i], message: `${d} is both a holiday and a working day` });
      // A swap that lands on a weekday would be meaningless and is almost certainly a typo.
      if (!calendar.weekendDays.includes(isoWeekday(d)))
        ctx.addIssue({ code: 'custom', path: ['workingWeekendDays', i], message: `${d} is not a weekend day` });
    });
  });

export type WorkingDayCalendar = z.infer<typeof WorkingDayCalendarSchema>;

export function defineWorkingDayCalendar(input: z.input<typeof WorkingDayCalendarSchema>): WorkingDayCalendar {
  return Object.freeze(WorkingDayCalendarSchema.parse(input));
}

/** Set lookups, built once per calendar object; a cache, so it changes no result. */
const lookups = new WeakMap<WorkingDayCalendar, { holidays: Set<string>; working: Set<string>; weekend: Set<number> }>();
function lookup(calendar: WorkingDayCalendar) {
  let found = lookups.get(calendar);
  if (!found) {
    found = { holidays: new Set(calendar.holidays), working: new Set(calendar.workingWeekendDays), weekend: new Set(calendar.weekendDays) };
    lookups.set(calendar, found);
  }
  return found;
}

function assertCovered(calendar: WorkingDayCalendar, date: string): void {
  if (date < calendar.coversFrom || date > calendar.coversTo) {
    throw new DomainRuleViolation(
      'calendar.date_not_covered',
      `working-day calendar ${calendar.id} covers ${calendar.coversFrom}..${calendar.coversTo}, not ${date}`,
      {
        calendarId: calendar.id,
        date,
        coversFrom: calendar.coversFrom,
        coversTo: calendar.coversTo,
      },
    );
  }
}

export function isWorkingDay(calendar: WorkingDayCalendar, date: string): boolean {
  toDayNumber(date); // validates the date
  assertCovered(calendar, date);
  const { holidays, working, weekend } = lookup(calendar);
  if (holidays.has(date)) return false;
  if (working.has(date)) return true;
  return !weekend.has(isoWeekday(date));
}

/**
 * The deadline "within n working days of `start`": the n-th working day after `start`. The
 * start day itself is not counted (as for any period in Chinese law: 开始的当日不计入, Civil
 * Code art. 201), so a case accepted on Thursday with n = 1 is due on Friday. n = 0 is `start`.
 */
export function addWorkingDays(calendar: WorkingDayCalendar, start: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new DomainRuleViolation('calendar.invalid_day_count', `working-day count must be a non-negative integer, got ${n}`, { n });
  let day = start;
  for (let counted = 0; counted < n;) {
    day = addDays(day, 1);
    if (isWorkingDay(calendar, day)) counted++;
  }
  return day;
}

/**
 * Working days in (from, to]: how many working days of a deadline have been used by `to`, so
 * that workingDaysBetween(s, addWorkingDays(s, n)) = n. Negative when `to` is before `from`.
 */
export function workingDaysBetween(calendar: WorkingDayCalendar, from: string, to: string): number {
  toDayNumber(from); // validates both dates before comparing them as text
  toDayNumber(to);
  if (to < from) return 0 - workingDaysBetween(calendar, to, from); // not unary minus, which turns 0 into -0
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
    if (isWorkingDay(calendar, day)) count++;
  }
  return count;
}
