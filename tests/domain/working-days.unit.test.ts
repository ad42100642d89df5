import { describe, expect, it } from 'vitest';
import { addMonths, ageInYearsOn, fromDayNumber, isoWeekday, toDayNumber } from '../../src/domain/calendar/working-days.iso-date';
import { addWorkingDays, defineWorkingDayCalendar, isWorkingDay, workingDaysBetween } from '../../src/domain/calendar/working-days';
import { chinaCalendar2023To2024 as cal } from './working-days-fixtures';

describe('ISO date arithmetic', () => {
  it.each([
    ['1970-01-01', 0],
    ['1969-12-31', -1],
    ['2000-03-01', 11_017],
    ['2024-02-29', 19_782],
    ['1900-03-01', -25_508],
  ])('%s is day %i and back', (date, day) => {
    expect(toDayNumber(date)).toBe(day);
    expect(fromDayNumber(day)).toBe(date);
  });

  it('round-trips every day from 1899 to 2101 and agrees with the platform calendar', () => {
    const wrong: number[] = [];
    for (let d = toDayNumber('1899-01-01'); d <= toDayNumber('2101-12-31'); d++)
      if (toDayNumber(fromDayNumber(d)) !== d || fromDayNumber(d) !== new Date(d * 86_400_000).toISOString().slice(0, 10)) wrong.push(d);
    expect(wrong).toEqual([]);
  });

  it.each([
    ['2023-01-01', 7],
    ['2023-01-28', 6],
    ['2024-01-01', 1],
    ['1970-01-01', 4],
  ])('%s is ISO weekday %i', (date, weekday) => expect(isoWeekday(date)).toBe(weekday));

  it.each([['2023-02-29'], ['2023-13-01'], ['2023-1-5'], ['']])('refuses %j', (text) => {
    expect(() => toDayNumber(text)).toThrow(expect.objectContaining({ rule: 'date.invalid' }));
  });

  it.each([
    ['2023-01-15', 6, '2023-07-15'],
    ['2023-08-31', 6, '2024-02-29'],
    ['2022-08-31', 6, '2023-02-28'],
    ['2023-10-31', 1, '2023-11-30'],
    ['2023-03-31', -1, '2023-02-28'],
    ['2023-12-15', 12, '2024-12-15'],
  ])('%s + %i months = %s (clamped to month end)', (date, months, expected) => expect(addMonths(date, months)).toBe(expected));

  it.each([
    ['1964-05-10', '2024-05-09', 59],
    ['1964-05-10', '2024-05-10', 60], // on the birthday
    ['2008-05-10', '2024-05-09', 15], // 15 years and 364 days
    ['2008-05-10', '2024-05-10', 16],
    ['2000-02-29', '2001-02-28', 0], // Feb 29 birthday in a common year: not yet…
    ['2000-02-29', '2001-03-01', 1], // …until 1 March
    ['2000-02-29', '2004-02-29', 4],
    ['2000-02-29', '2003-12-31', 3],
    ['2000-01-01', '1999-12-31', -1],
  ])('born %s is %i years old on %s', (birth, on, age) => expect(ageInYearsOn(birth, on)).toBe(age));
});

describe('working-day calendar', () => {
  it.each([
    ['2023-01-20', true, 'Friday before Spring Festival'],
    ['2023-01-21', false, 'Spring Festival (Saturday)'],
    ['2023-01-23', false, 'Spring Festival (Monday)'],
    ['2023-01-28', true, '调休 Saturday'],
    ['2023-01-29', true, '调休 Sunday'],
    ['2023-02-04', false, 'ordinary Saturday'],
    ['2023-02-06', true, 'ordinary Monday'],
    ['2023-10-06', false, 'National Day (Friday)'],
    ['2023-10-07', true, '调休 Saturday'],
    ['2024-02-09', true, '除夕 2024 is officially a working day'],
    ['2024-02-18', true, '调休 Sunday'],
    ['2024-10-07', false, 'National Day (Monday)'],
  ])('%s working = %s (%s)', (date, working) => expect(isWorkingDay(cal, date)).toBe(working));

  it.each([
    ['2023-01-19', 3, '2023-01-29', 'Spring Festival skipped, swapped weekend counted'],
    ['2023-01-20', 1, '2023-01-28', 'the next working day is a 调休 Saturday'],
    ['2023-09-20', 25, '2023-10-31', 'review deadline across Mid-Autumn + National Day'],
    ['2023-06-20', 5, '2023-06-28', 'Dragon Boat with 调休 Sunday'],
    ['2023-12-28', 5, '2024-01-05', 'across New Year'],
    ['2024-02-08', 2, '2024-02-18', '除夕 worked, then the holiday, then 调休 Sunday'],
    ['2023-01-21', 1, '2023-01-28', 'start on a holiday'],
    ['2023-05-10', 0, '2023-05-10', 'zero days is the start'],
  ])('%s + %i working days = %s (%s)', (start, n, expected) => {
    expect(addWorkingDays(cal, start, n)).toBe(expected);
    expect(workingDaysBetween(cal, start, expected)).toBe(n);
  });

  it('counts working days between two dates in either direction', () => {
    expect(workingDaysBetween(cal, '2023-01-20', '2023-01-27')).toBe(0);
    expect(workingDaysBetween(cal, '2023-01-27', '2023-01-20')).toBe(0);
    expect(workingDaysBetween(cal, '2023-10-31', '2023-09-20')).toBe(-25);
    expect(workingDaysBetween(cal, '2023-05-10', '2023-05-10')).toBe(0);
  });

  it.each([
    // 2023: 260 weekdays − 18 holidays on weekdays + 7 swapped weekend days
    ['2022-12-31', '2023-12-31', 249],
    // 2024: 262 weekdays − 19 holidays on weekdays + 8 swapped weekend days
    ['2023-12-31', '2024-12-31', 251],
  ])('counts the working days of a year, (%s, %s] = %i, as officially announced', (from, to, days) => {
    expect(workingDaysBetween(cal, from, to)).toBe(days);
  });

  it('refuses dates outside its coverage rather than guessing holidays', () => {
    expect(() => addWorkingDays(cal, '2024-12-20', 30)).toThrow(expect.objectContaining({ rule: 'calendar.date_not_covered' }));
    expect(() => isWorkingDay(cal, '2022-12-30')).toThrow(expect.objectContaining({ rule: 'calendar.date_not_covered' }));
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays(cal, '2023-05-10', -1)).toThrow(expect.objectContaining({ rule: 'calendar.invalid_day_count' }));
    expect(() => addWorkingDays(cal, '2023-05-10', 1.5)).toThrow(expect.objectContaining({ rule: 'calendar.invalid_day_count' }));
  });

  it.each<[Record<string, string[]>, string]>([
    [{ workingWeekendDays: ['2023-01-30'] }, 'a swapped working day on a Monday'],
    [{ holidays: ['2023-01-28'], workingWeekendDays: ['2023-01-28'] }, 'a day both holiday and working'],
    [{ holidays: ['2025-01-01'] }, 'a holiday outside coverage'],
  ])('rejects a calendar with %j (%s)', (patch) => {
    expect(() =>
      defineWorkingDayCalendar({ id: 'x', coversFrom: '2023-01-01', coversTo: '2023-12-31', holidays: [], workingWeekendDays: [], ...patch }),
    ).toThrow();
  });
});
