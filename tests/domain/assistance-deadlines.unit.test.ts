import { describe, expect, it } from 'vitest';
import { assistanceDeadlines, dibaoReviewSubject, isOverdue, nextReviewDueOn, reviewIntervalMonths } from '../../src/domain/assistance/assistance-deadlines';
import { defineWorkingDayCalendar } from '../../src/domain/calendar/working-days';
import { policy2023 } from './policy-fixtures';
import { chinaCalendar2023To2024 } from './working-days-fixtures';

const deadlines = assistanceDeadlines(policy2023, chinaCalendar2023To2024);

describe('case deadlines', () => {
  it.each([
    ['review, accepted before National Day', () => deadlines.reviewDueOn('2023-09-20', false), '2023-10-31'],
    ['extended review', () => deadlines.reviewDueOn('2023-09-20', true), '2023-11-21'],
    ['confirmation after a notice ending before Spring Festival', () => deadlines.confirmationDueOn('2023-01-18'), '2023-02-06'],
    ['refusal notice across Labour Day', () => deadlines.refusalNoticeDueOn('2023-04-27'), '2023-05-05'],
    ['emergency paperwork after the 2023-06-08 fire', () => deadlines.emergencyPaperworkDueOn('2023-06-08'), '2023-06-15'],
    ['public notice of 7 calendar days', () => deadlines.noticeEndsOn('2023-06-10'), '2023-06-17'],
  ])('%s', (_, compute, expected) => expect(compute()).toBe(expected));

  it('refuses a calendar other than the policy version names', () => {
    const other = defineWorkingDayCalendar({ id: 'other', coversFrom: '2023-01-01', coversTo: '2023-12-31', holidays: [], workingWeekendDays: [] });
    expect(() => assistanceDeadlines(policy2023, other)).toThrow(expect.objectContaining({ rule: 'calendar.not_the_policy_calendar' }));
  });

  it.each([
    ['2023-10-31', '2023-10-31', null, false], // on the due day is on time
    ['2023-10-31', '2023-11-01', null, true],
    ['2023-10-31', '2023-12-01', '2023-10-30', false], // done in time stays on time
    ['2023-10-31', '2023-11-01', '2023-11-01', true],
  ])('due %s, today %s, done %s → overdue %s', (dueOn, today, doneOn, overdue) => expect(isOverdue(dueOn, today, doneOn)).toBe(overdue));
});

describe('dynamic review interval', () => {
  it.each([
    ['unstable income, someone can work', 'unstable', ['none', 'partial'], 6],
    ['unstable income, nobody can work', 'unstable', ['none'], 12],
    ['stable income, someone can work', 'stable', ['full'], 12],
  ] as const)('低保, %s', (_, incomeStability, capacities, months) => {
    const subject = dibaoReviewSubject({ incomeStability, members: capacities.map((labourCapacity) => ({ labourCapacity })) });
    expect(reviewIntervalMonths(policy2023, subject)).toBe(months);
  });

  it('reviews 特困 every 12 months, counted in calendar months', () => {
    expect(reviewIntervalMonths(policy2023, { program: 'tekun' })).toBe(12);
    expect(nextReviewDueOn(policy2023, { program: 'dibao', incomeStability: 'unstable', someoneCanWork: true }, '2023-08-31')).toBe('2024-02-29');
  });
});
