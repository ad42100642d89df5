/**
 * Day arithmetic for detection windows and deadlines. The calendar-month helpers of the
 * schedules are reused rather than repeated: 'yyyy-mm-dd' days, no time zones.
 */
export { addDays, addMonths, daysBetween } from '../calendar/calendar-months';

export const minDay = (a: string, b: string): string => (a <= b ? a : b);
