import { describe, expect, it } from 'vitest';
import { countyDate } from '../../src/application/clock';
import { countyDayOf } from '../../src/domain/assistance/case-dates';

/** The county's calendar day of an instant: formatters are kept per time zone, so zones must not leak into each other. */
describe('the county day of an instant', () => {
  const lateUtcEvening = new Date('2023-06-07T20:30:00.000Z'); // 04:30 on the 8th in the county, still the 7th in London

  it('is the day in the county by default, and in the zone it is given otherwise, whichever is asked first', () => {
    expect(countyDate(lateUtcEvening, 'Europe/London')).toBe('2023-06-07');
    expect(countyDate(lateUtcEvening)).toBe('2023-06-08');
    expect(countyDate(lateUtcEvening, 'Europe/London')).toBe('2023-06-07');
    expect(countyDate(new Date('2023-06-08T16:00:00.000Z'))).toBe('2023-06-09');
  });

  it('agrees with the deciders’ own reading of a command instant', () => {
    for (const iso of ['2023-06-07T15:59:59.999Z', '2023-06-07T16:00:00.000Z', '2023-12-31T16:00:00.000Z']) {
      expect(countyDayOf(iso)).toBe(countyDate(new Date(iso)));
      expect(countyDayOf(iso, 'UTC')).toBe(iso.slice(0, 10));
    }
  });
});
