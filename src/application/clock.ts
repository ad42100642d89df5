import { dayIn } from '../domain/shared/county-day';

/** Time comes from here, never from `new Date()` in the domain, so tests can fix it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests set and move by hand. */
export class FixedClock implements Clock {
  constructor(private current: Date = new Date('2026-01-15T08:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string | Date): void {
    this.current = new Date(iso);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * The calendar day (yyyy-mm-dd) an instant falls on in the county. Assignments, visits and
 * deadlines are days as people in the county state them, not UTC instants.
 */
export function countyDate(instant: Date, timeZone = 'Asia/Shanghai'): string {
  return dayIn(instant, timeZone);
}

/**
 * Another clock moved by a fixed offset: it advances in step with the one it reads (the demo
 * county's clock is the real one set back to a December day of 2023).
 */
export class OffsetClock implements Clock {
  constructor(
    private readonly base: Clock,
    readonly offsetMs: number,
  ) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
}
