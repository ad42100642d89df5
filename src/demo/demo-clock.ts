import { OffsetClock, type Clock } from '../application/clock';

/** The demo county's day starts at 09:00 county time (UTC+8, no daylight saving). */
export const demoStartInstant = (demoDate: string): Date => new Date(`${demoDate}T09:00:00+08:00`);

/**
 * The demo county's clock: the real clock set back so that it reads DEMO_DATE 09:00 now, and
 * advancing in real time from there, so overdue lists, deadlines and "this month" read as they
 * did that December.
 *
 * It never starts before `notBefore`, the newest instant the service itself stamped in an earlier
 * run (the last signed ledger head): a restart resumes from there instead of going back to 09:00,
 * so tree heads keep increasing timestamps (daily head files and head-interval timing rely on it).
 */
export function demoClock(real: Clock, demoDate: string, notBefore: Date | null = null): OffsetClock {
  const start = demoStartInstant(demoDate).getTime();
  const from = notBefore && notBefore.getTime() > start ? notBefore.getTime() : start;
  return new OffsetClock(real, from - real.now().getTime());
}
