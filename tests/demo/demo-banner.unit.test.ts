import { describe, expect, it } from 'vitest';
import { demoBannerLines, demoProgressLine } from '../../src/demo/demo-banner';
import type { DemoStatus } from '../../src/demo/demo-mode';

const status = (load: Partial<DemoStatus['load']>): DemoStatus => ({
  date: '2023-12-20T01:00:00.000Z',
  countyDay: '2023-12-20',
  clockOffsetMs: -3 * 86_400_000,
  load: { state: 'loading', scale: 'sample', seed: 's', chapter: null, done: 0, total: 0, ...load },
});

describe('the demo lines of the start banner', () => {
  it('show the county clock in county time and how far behind real time it runs', () => {
    const [clock, users] = demoBannerLines(status({}), 'http://127.0.0.1:3000');
    expect(clock).toContain('2023-12-20 09:00');
    expect(clock).toContain('3 days behind real time');
    expect(users).toContain('http://127.0.0.1:3000/api/v1/demo/users');
  });

  it('say which chapter is loading and how far it is', () => {
    expect(demoProgressLine(status({ chapter: 'households', done: 450, total: 4500 }))).toContain('「households」450/4500 10%');
  });

  it('say when the county is loaded, and why it is not when it failed', () => {
    expect(demoProgressLine(status({ state: 'loaded' }))).toContain('loaded, ready');
    expect(demoProgressLine(status({ state: 'failed', error: 'see the service log' }))).toContain('not loaded — see the service log');
  });
});
