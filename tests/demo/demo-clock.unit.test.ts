import { describe, expect, it } from 'vitest';
import { countyDate, FixedClock, OffsetClock } from '../../src/application/clock';
import { loadConfig } from '../../src/config';
import { demoClock, demoStartInstant } from '../../src/demo/demo-clock';

describe('the demo county clock', () => {
  const real = () => new FixedClock(new Date('2026-12-01T12:00:00.000Z'));

  it('reads DEMO_DATE 09:00 county time when the service starts', () => {
    const clock = demoClock(real(), '2023-12-20');
    expect(clock.now().toISOString()).toBe('2023-12-20T01:00:00.000Z');
    expect(countyDate(clock.now())).toBe('2023-12-20');
    expect(clock.offsetMs).toBe(Date.parse('2023-12-20T01:00:00.000Z') - Date.parse('2026-12-01T12:00:00.000Z'));
  });

  it('advances in step with the real clock', () => {
    const base = real();
    const clock = demoClock(base, '2023-12-20');
    base.advance(16 * 3_600_000);
    expect(clock.now().toISOString()).toBe('2023-12-20T17:00:00.000Z');
    expect(countyDate(clock.now())).toBe('2023-12-21');
  });

  it('resumes from the last instant an earlier run stamped rather than going back to 09:00', () => {
    const clock = demoClock(real(), '2023-12-20', new Date('2023-12-20T05:30:00.000Z'));
    expect(clock.now().toISOString()).toBe('2023-12-20T05:30:00.000Z');
  });

  it('ignores an earlier stamp that is before the demo date', () => {
    const clock = demoClock(real(), '2023-12-20', new Date('2023-06-08T05:30:00.000Z'));
    expect(clock.now().toISOString()).toBe(demoStartInstant('2023-12-20').toISOString());
  });

  it('an offset clock of zero is the clock it reads', () => {
    const base = real();
    expect(new OffsetClock(base, 0).now().toISOString()).toBe(base.now().toISOString());
  });
});

describe('demo configuration', () => {
  it('is off by default, with the sample scale and 2023-12-20 ready for DEMO=1', () => {
    const config = loadConfig({});
    expect(config.DEMO).toBe(false);
    expect(config.DEMO_DATE).toBe('2023-12-20');
    expect(config.DEMO_SCALE).toBe('sample');
    expect(config.DEMO_SEED).toBeUndefined();
  });

  it('reads DEMO=1, a date and a scale', () => {
    const config = loadConfig({ DEMO: '1', DEMO_DATE: '2023-06-08', DEMO_SCALE: 'tiny', DEMO_SEED: 'x' });
    expect(config).toMatchObject({ DEMO: true, DEMO_DATE: '2023-06-08', DEMO_SCALE: 'tiny', DEMO_SEED: 'x' });
  });

  it.each([
    ['DEMO_DATE', '2023-02-30'],
    ['DEMO_DATE', '20231220'],
    ['DEMO_SCALE', 'huge'],
    ['DEMO', 'yes'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
