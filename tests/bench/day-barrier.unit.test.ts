import { describe, expect, it } from 'vitest';
import { DayBarrier } from '../../bench/http-load/day-barrier';

/**
 * The day barrier of the HTTP loader's cases chapter: stories side by side on one service clock.
 * Each "step" records the clock it saw when it started and when it ended, after a few turns of
 * the event loop in between (as a request would take).
 */
function county() {
  let today: string | null = null;
  const days: string[] = [];
  const seen: { story: string; day: string; start: string | null; end: string | null }[] = [];
  let inFlight = 0;
  let most = 0;
  const barrier = new DayBarrier(async (day) => {
    await new Promise((r) => setTimeout(r, 1));
    expect(inFlight).toBe(0);
    today = day;
    days.push(day);
  });
  const step = (story: string, day: string) =>
    barrier.step(day, async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      const start = today;
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      seen.push({ story, day, start, end: today });
      inFlight--;
    });
  return { barrier, step, seen, days, most: () => most };
}

describe('DayBarrier', () => {
  it('sends every step on its own day, stories side by side, the clock moving only between steps', async () => {
    const c = county();
    const stories: Record<string, string[]> = {
      a: ['2023-02-01', '2023-02-01', '2023-02-03', '2023-03-10'],
      b: ['2023-02-02', '2023-02-03', '2023-02-03'],
      c: ['2023-02-01', '2023-04-01'],
    };
    await c.barrier.sideBySide(Object.keys(stories), async (story) => {
      for (const day of stories[story]!) await c.step(story, day);
    });
    expect(c.seen).toHaveLength(9);
    for (const s of c.seen) expect([s.start, s.end]).toEqual([s.day, s.day]);
    // Each story's steps in order; the clock through the days in order, each day once.
    for (const story of Object.keys(stories)) expect(c.seen.filter((s) => s.story === story).map((s) => s.day)).toEqual(stories[story]);
    expect(c.days).toEqual(['2023-02-01', '2023-02-02', '2023-02-03', '2023-03-10', '2023-04-01']);
    // Steps of one day go together.
    expect(c.most()).toBeGreaterThan(1);
  });

  it('waits for every running story before it moves, and goes back for a step dated before today', async () => {
    const c = county();
    const stories: Record<string, string[]> = {
      // A decision on 20 May grants from May: May's payment is dated the 10th.
      granted: ['2023-05-15', '2023-05-20', '2023-05-10', '2023-06-12'],
      other: ['2023-05-18', '2023-06-12'],
    };
    await c.barrier.sideBySide(Object.keys(stories), async (story) => {
      for (const day of stories[story]!) await c.step(story, day);
    });
    for (const s of c.seen) expect([s.start, s.end]).toEqual([s.day, s.day]);
    expect(c.days).toEqual(['2023-05-15', '2023-05-18', '2023-05-20', '2023-05-10', '2023-06-12']);
    expect(c.barrier.moves).toEqual({ forward: 4, back: 1 });
  });

  it('sends steps outside `sideBySide` one after another, each on its day', async () => {
    const c = county();
    for (const day of ['2023-01-03', '2023-02-01', '2023-01-03']) await c.step('prelude', day);
    expect(c.seen.map((s) => [s.day, s.start, s.end])).toEqual([
      ['2023-01-03', '2023-01-03', '2023-01-03'],
      ['2023-02-01', '2023-02-01', '2023-02-01'],
      ['2023-01-03', '2023-01-03', '2023-01-03'],
    ]);
  });

  it('stops every story at the first failure and rethrows it', async () => {
    const c = county();
    const sent: string[] = [];
    const run = c.barrier.sideBySide(['fails', 'waits'], async (story) => {
      if (story === 'fails') {
        await c.barrier.step('2023-03-01', async () => {
          throw new Error('answered 409');
        });
      } else {
        await c.step(story, '2023-03-02');
        sent.push(story);
      }
    });
    await expect(run).rejects.toThrow('answered 409');
    expect(sent).toEqual([]);
  });
});
