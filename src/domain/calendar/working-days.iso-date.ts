import { DomainRuleViolation } from '../shared/errors';

/**
 * Calendar-day arithmetic on 'YYYY-MM-DD' strings, in integers only. Deadlines and ages are
 * about days as people state them, not instants, so there is no time zone and no clock here:
 * dates are converted to a day number (days since 1970-01-01 in the proleptic Gregorian
 * calendar) and back, with Howard Hinnant's civil-date algorithms, which are exact for any year.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Parses and checks a real calendar date (2023-02-29 is refused, not rolled over). */
export function parseIsoDate(text: string): CivilDate {
  const match = ISO_DATE.exec(text);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new DomainRuleViolation('date.invalid', `not a calendar date in YYYY-MM-DD form: ${JSON.stringify(text)}`, { value: text });
  }
  return { year, month, day };
}

export function formatIsoDate({ year, month, day }: CivilDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const floorDiv = (a: number, b: number): number => Math.floor(a / b);

/** Day number of a date: 1970-01-01 is 0. */
export function toDayNumber(date: string): number {
  const { year, month, day } = parseIsoDate(date);
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = floorDiv(153 * (month + (month > 2 ? -3 : 9)) + 2, 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function fromDayNumber(dayNumber: number): string {
  const z = dayNumber + 719468;
  const era = floorDiv(z, 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = floorDiv(dayOfEra - floorDiv(dayOfEra, 1460) + floorDiv(dayOfEra, 36524) - floorDiv(dayOfEra, 146096), 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100));
  const mp = floorDiv(5 * dayOfYear + 2, 153);
  const day = dayOfYear - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return formatIsoDate({ year, month, day });
}

export const addDays = (date: string, days: number): string => fromDayNumber(toDayNumber(date) + days);

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => toDayNumber(to) - toDayNumber(from);

/** ISO weekday: Monday 1 … Sunday 7. Day 0 (1970-01-01) was a Thursday. */
export function isoWeekday(date: string): number {
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

/**
 * Same day of the month `months` later; when that month is shorter the result is its last day
 * (2023-08-31 + 6 months = 2024-02-29). This is how "six months" is counted for review
 * intervals and for how long a parent has been detained or out of contact.
 */
export function addMonths(date: string, months: number): string {
  const { year, month, day } = parseIsoDate(date);
  const index = year * 12 + (month - 1) + months;
  const newYear = floorDiv(index, 12);
  const newMonth = index - newYear * 12 + 1;
  return formatIsoDate({ year: newYear, month: newMonth, day: Math.min(day, daysInMonth(newYear, newMonth)) });
}

/**
 * Age in completed years (周岁) on `onDate`. A person is a year older on their birthday itself.
 * Someone born on 29 February becomes a year older on 1 March in common years: until then the
 * birthday has not come (the (month, day) comparison below), which is the reading that never
 * makes anyone older before a full year has passed.
 */
export function ageInYearsOn(birthDate: string, onDate: string): number {
  const birth = parseIsoDate(birthDate);
  const on = parseIsoDate(onDate);
  const birthdayReached = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  return on.year - birth.year - (birthdayReached ? 0 : 1);
}
