import { describe, expect, it } from 'vitest';
import type { LogPosition, PassRow } from '../../src/storage/log-hasher';
import { pagesBySplitReads, pagesToTheEnd, type RunPage } from '../../src/storage/log-page-reads';

/** A row at (transaction 1, position p): only the positions matter to the readers. */
const row = (p: number): PassRow =>
  ({ transaction_id: '1', global_position: String(p), event_id: `e${p}`, stream_id: `s${p}`, version: 1 }) as unknown as PassRow;
const at = (p: number): LogPosition => ({ transactionId: '1', globalPosition: String(p) });

/**
 * A log of rows at positions 1…n answering the page queries the readers send, as PostgreSQL
 * would (after, [until,] limit; `bounded` pages stop at `bound`), and recording how many of them
 * were out at once.
 */
function fakeLog(n: number, options: { bound?: number; extra?: number[] } = {}) {
  const positions = [...Array.from({ length: n }, (_, i) => i + 1), ...(options.extra ?? [])].sort((a, b) => a - b);
  let out = 0;
  const seen = { most: 0, queries: 0 };
  const run: RunPage = async (text, params) => {
    out++;
    seen.most = Math.max(seen.most, out);
    seen.queries++;
    await new Promise((resolve) => setTimeout(resolve, 2));
    out--;
    const after = Number(params[1]);
    const until = params.length > 2 ? Number(params[3]) : Infinity;
    const bounded = /transaction_id < \(select pg_snapshot_xmin/.test(text);
    const limit = Number(/limit (\d+)\s*$/.exec(text)![1]);
    const below = bounded ? (options.bound ?? Infinity) : Infinity;
    return positions
      .filter((p) => p > after && p <= until && p < below)
      .slice(0, limit)
      .map(row);
  };
  return { run, seen };
}

async function positionsOf(pages: AsyncGenerator<readonly PassRow[]>): Promise<number[]> {
  const found: number[] = [];
  for await (const rows of pages) found.push(...rows.map((r) => Number(r.global_position)));
  return found;
}

const BATCH = 3;
/** Where ranges of BATCH rows end in a log of n rows below the gap-safe bound (what rangeEnds gives). */
const endsOf = (n: number) => Array.from({ length: Math.floor(n / BATCH) }, (_, i) => at((i + 1) * BATCH));

describe('the whole-log verify reading its pages on several connections (issue 20)', () => {
  it('hands on every row once, in the log order, with `readers` reads out at once', async () => {
    const log = fakeLog(20, { bound: 19 });
    const found = await positionsOf(pagesBySplitReads(log.run, endsOf(18), { macs: true, batch: BATCH, readers: 2 }));
    expect(found).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(log.seen.most).toBe(2);
  });

  it('gives what one connection reading page after page gives, whatever the number of readers', async () => {
    const one = fakeLog(31, { bound: 30 });
    const alone = await positionsOf(pagesToTheEnd(one.run, at(0), { macs: true, batch: BATCH }));
    expect(one.seen.most).toBe(1);
    for (const readers of [1, 2, 3, 5]) {
      const log = fakeLog(31, { bound: 30 });
      expect(await positionsOf(pagesBySplitReads(log.run, endsOf(29), { macs: true, batch: BATCH, readers }))).toEqual(alone);
      expect(log.seen.most).toBeLessThanOrEqual(readers);
    }
  });

  it('reads rows put into a range after it was cut (a forger), and a log with no range at all', async () => {
    // Positions 4.5 and 4.7 squeezed into (3, 6]: that range now holds more than a page.
    const log = fakeLog(12, { extra: [4.5, 4.7] });
    const found = await positionsOf(pagesBySplitReads(log.run, endsOf(12), { macs: true, batch: BATCH, readers: 2 }));
    expect(found).toEqual([1, 2, 3, 4, 4.5, 4.7, 5, 6, 7, 8, 9, 10, 11, 12]);
    const short = fakeLog(2);
    expect(await positionsOf(pagesBySplitReads(short.run, [], { macs: true, batch: BATCH, readers: 2 }))).toEqual([1, 2]);
  });

  it('fails with the read that failed', async () => {
    const log = fakeLog(12);
    let calls = 0;
    const failing: RunPage = async (text, params) => {
      if (++calls === 3) throw new Error('connection lost');
      return log.run(text, params);
    };
    await expect(positionsOf(pagesBySplitReads(failing, endsOf(12), { macs: true, batch: BATCH, readers: 2 }))).rejects.toThrow('connection lost');
  });
});
