/** How near a deadline is, counted in county calendar days (YYYY-MM-DD strings, no time zone drift). */
export type DeadlineState = 'overdue' | 'due-soon' | 'ok' | 'done';

const dayNumber = (day: string): number => Math.floor(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) / 86_400_000);

/** Days from `today` to `due` (negative when past). */
export const daysUntil = (due: string, today: string): number => dayNumber(due) - dayNumber(today);

/** Overdue after the due day; due soon within `soonDays` (a week by default); done wins over both. */
export function deadlineState(due: string, today: string, options: { done?: boolean; soonDays?: number } = {}): DeadlineState {
  if (options.done) return 'done';
  const days = daysUntil(due, today);
  if (days < 0) return 'overdue';
  if (days <= (options.soonDays ?? 7)) return 'due-soon';
  return 'ok';
}

/** Today's date in the county (Asia/Shanghai), as the API counts days. */
export const countyToday = (now: Date = new Date()): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
