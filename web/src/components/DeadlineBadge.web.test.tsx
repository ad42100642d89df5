import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderInConsole } from '../test/render';
import { DeadlineBadge } from './DeadlineBadge';
import { countyToday, deadlineState } from './deadline';

describe('deadline state, in county calendar days', () => {
  it('is overdue the day after the due day, due soon within the window, ok beyond it, done whatever the date', () => {
    expect(deadlineState('2023-12-19', '2023-12-20')).toBe('overdue');
    expect(deadlineState('2023-12-20', '2023-12-20')).toBe('due-soon');
    expect(deadlineState('2023-12-27', '2023-12-20')).toBe('due-soon');
    expect(deadlineState('2023-12-28', '2023-12-20')).toBe('ok');
    expect(deadlineState('2023-12-28', '2023-12-20', { soonDays: 10 })).toBe('due-soon');
    expect(deadlineState('2023-01-01', '2023-12-20', { done: true })).toBe('done');
    // A timestamp's time part does not move the day.
    expect(deadlineState('2023-12-20T23:59:59+08:00', '2023-12-20')).toBe('due-soon');
  });

  it('counts today in the county (UTC+8), not in the browser’s zone', () => {
    expect(countyToday(new Date('2023-12-19T16:30:00Z'))).toBe('2023-12-20');
    expect(countyToday(new Date('2023-12-19T15:30:00Z'))).toBe('2023-12-19');
  });
});

describe('DeadlineBadge', () => {
  it('says how many days overdue, in Chinese', () => {
    renderInConsole(<DeadlineBadge due="2023-12-15" today="2023-12-20" />);
    const badge = screen.getByText('已逾期 5 天');
    expect(badge.closest('[data-state]')?.getAttribute('data-state')).toBe('overdue');
  });

  it('says due today, due in N days, on track and done', () => {
    renderInConsole(
      <>
        <DeadlineBadge due="2023-12-20" today="2023-12-20" />
        <DeadlineBadge due="2023-12-23" today="2023-12-20" />
        <DeadlineBadge due="2024-01-31" today="2023-12-20" />
        <DeadlineBadge due="2023-12-01" today="2023-12-20" done />
      </>,
    );
    expect(screen.getByText('今天到期')).toBeTruthy();
    expect(screen.getByText('3 天内到期')).toBeTruthy();
    expect(screen.getByText('正常')).toBeTruthy();
    expect(screen.getByText('已完成')).toBeTruthy();
  });

  it('speaks English when the console does', () => {
    renderInConsole(<DeadlineBadge due="2023-12-18" today="2023-12-20" />, { language: 'en' });
    expect(screen.getByText('2 d overdue')).toBeTruthy();
  });
});
