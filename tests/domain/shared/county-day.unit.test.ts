import { describe, expect, it } from 'vitest';
import { countyDate } from '../../../src/application/clock';
import { countyDayOf } from '../../../src/domain/assistance/case-dates';
import { dayFormatter, dayIn } from '../../../src/domain/shared/county-day';

/** What every call did before the cache: a formatter built for the one call. */
const uncached = (instant: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);

// Instants at the edges of a day somewhere: Shanghai's midnight, DST switches in both
// hemispheres, a leap day, the turn of a year, zones a quarter hour off and ±12 h and beyond.
const INSTANTS = [
  '2023-12-31T15:59:59.999Z', // 23:59:59.999 on 31 Dec in Shanghai
  '2023-12-31T16:00:00.000Z', // midnight of 1 Jan 2024 in Shanghai
  '2024-02-28T16:00:00.000Z', // 29 Feb in Shanghai
  '2024-02-29T23:59:59.999Z',
  '2024-03-10T06:59:59.999Z', // New York: the last instant before spring-forward (01:59:59 EST)
  '2024-03-10T07:00:00.000Z', // New York: 03:00 EDT
  '2024-11-03T05:30:00.000Z', // New York: 01:30 EDT, the hour that repeats
  '2024-11-03T06:30:00.000Z', // New York: 01:30 EST, the repeat
  '2024-03-31T00:59:59.999Z', // London: before the clocks go forward
  '2024-10-06T15:30:00.000Z', // Lord Howe: half-hour DST begins
  '1970-01-01T00:00:00.000Z',
  '2038-01-19T03:14:08.000Z',
];
const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];

describe('calendar days through cached formatters', () => {
  it('give the day a formatter built for the call gives, in every zone and at every edge', () => {
    for (const timeZone of ZONES) {
      for (const iso of INSTANTS) {
        const instant = new Date(iso);
        const expected = uncached(instant, timeZone);
        expect(dayIn(instant, timeZone), `${iso} in ${timeZone}`).toBe(expected);
        expect(countyDate(instant, timeZone), `${iso} in ${timeZone}`).toBe(expected);
        expect(countyDayOf(iso, timeZone), `${iso} in ${timeZone}`).toBe(expected);
      }
    }
  });

  it('put a day on the side of midnight and of the DST switch it belongs to', () => {
    expect(countyDate(new Date('2023-12-31T15:59:59.999Z'))).toBe('2023-12-31');
    expect(countyDate(new Date('2023-12-31T16:00:00.000Z'))).toBe('2024-01-01');
    expect(countyDayOf('2024-02-28T16:00:00.000Z')).toBe('2024-02-29');
    expect(dayIn(new Date('2024-11-03T06:30:00.000Z'), 'America/New_York')).toBe('2024-11-03');
    expect(dayIn(new Date('2024-03-10T04:59:59.999Z'), 'America/New_York')).toBe('2024-03-09');
    expect(dayIn(new Date('2023-12-31T09:59:59.999Z'), 'Pacific/Kiritimati')).toBe('2023-12-31');
    expect(dayIn(new Date('2023-12-31T10:00:00.000Z'), 'Pacific/Kiritimati')).toBe('2024-01-01');
  });

  it('alternate zones without one zone leaking into another', () => {
    const instant = new Date('2024-01-01T02:00:00.000Z');
    expect(dayIn(instant, 'Asia/Shanghai')).toBe('2024-01-01');
    expect(dayIn(instant, 'America/New_York')).toBe('2023-12-31');
    expect(dayIn(instant, 'Asia/Shanghai')).toBe('2024-01-01');
  });

  it('build one formatter per zone and reuse it', () => {
    expect(dayFormatter('Asia/Shanghai')).toBe(dayFormatter('Asia/Shanghai'));
    expect(dayFormatter('Asia/Shanghai')).not.toBe(dayFormatter('UTC'));
  });

  it('refuse an unknown zone every time, caching nothing for it', () => {
    expect(() => dayIn(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => dayIn(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
