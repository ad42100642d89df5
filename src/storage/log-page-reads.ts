import { readPassPage, type LogPosition, type PassRow } from './log-hasher';

/** Runs one page query (its SQL and its parameters) and gives its rows. */
export type RunPage = (text: string, params: readonly string[]) => Promise<readonly PassRow[]>;

const positionOf = (row: PassRow): LogPosition => ({ transactionId: String(row.transaction_id), globalPosition: String(row.global_position) });

/**
 * The whole log from `after` to its end, a page at a time in its global order, the next page
 * read while the caller works on this one: pages below the gap-safe bound readAll uses (nothing
 * a slower transaction may still commit before), then, once they run out, whatever is committed
 * past it.
 */
export async function* pagesToTheEnd(run: RunPage, after: LogPosition, options: { macs: boolean; batch: number }): AsyncGenerator<readonly PassRow[]> {
  let bounded = true;
  const fetchPage = (from: LogPosition) => {
    const page = readPassPage((text) => run(text, [from.transactionId, from.globalPosition]), {
      macs: options.macs,
      bounded,
      until: false,
      limit: options.batch,
    });
    page.catch(() => undefined);
    return page;
  };
  let next = fetchPage(after);
  for (;;) {
    const rows = await next;
    let full = rows.length >= options.batch;
    if (!full && bounded) {
      bounded = false;
      full = true;
    }
    const end = rows[rows.length - 1];
    if (end) after = positionOf(end);
    // The next page is read while this one is hashed.
    if (full) next = fetchPage(after);
    yield rows;
    if (!full) return;
  }
}

/**
 * The same pages when the log below the gap-safe bound is already cut into ranges of a page each
 * (`ends`, ascending): each range's read is known in advance, so `readers` of them are out at once
 * on as many pooled connections (issue 20: the database renders and checks a page's rows while
 * the next is being read elsewhere and this thread hashes the one before), and they are handed
 * on in order. After the last range, the rest of the log as pagesToTheEnd reads it.
 */
export function pagesBySplitReads(
  run: RunPage,
  ends: readonly LogPosition[],
  options: { macs: boolean; batch: number; readers: number },
): AsyncGenerator<readonly PassRow[]> {
  return inRangeOrder(ends, options.readers, {
    range: (after, until) => rangePages(run, after, until, options),
    tail: (after) => pagesToTheEnd(run, after, options),
  });
}

/**
 * What pagesBySplitReads does for any kind of page: `readers` ranges read at once by `read.range`
 * (its pages of (after, until]), handed on in order, then the end of the log by `read.tail`,
 * started as soon as a reader is free for it.
 */
export async function* inRangeOrder<P>(
  ends: readonly LogPosition[],
  readers: number,
  read: { range: (after: LogPosition, until: LogPosition) => Promise<P[]>; tail: (after: LogPosition) => AsyncGenerator<P> },
): AsyncGenerator<P> {
  const start: LogPosition = { transactionId: '0', globalPosition: '0' };
  const atOnce = Math.max(1, Math.floor(readers));
  const readRange = (i: number) => {
    const pages = read.range(i === 0 ? start : ends[i - 1]!, ends[i]!);
    pages.catch(() => undefined);
    return pages;
  };
  const out: Array<Promise<P[]>> = [];
  let next = 0;
  // The end of the log once started: its pages and the first of them being read.
  const started: { tail: { pages: AsyncGenerator<P>; first: Promise<IteratorResult<P>> } | null } = { tail: null };
  const fill = () => {
    while (next < ends.length && out.length < atOnce) out.push(readRange(next++));
    // The end of the log is read as soon as a reader is free for it.
    if (next === ends.length && started.tail === null && out.length < atOnce) {
      const pages = read.tail(ends[ends.length - 1] ?? start);
      const first = pages.next();
      first.catch(() => undefined);
      started.tail = { pages, first };
    }
  };
  try {
    fill();
    while (out.length > 0) {
      const pages = await out.shift()!;
      fill();
      for (const page of pages) yield page;
    }
    fill();
    const rest = started.tail;
    if (rest === null) return;
    for (let step = await rest.first; !step.done; step = await rest.pages.next()) yield step.value;
  } finally {
    // A caller that stops early (an error) leaves the reads out to finish on their own.
    await started.tail?.pages.return(undefined);
  }
}

/**
 * The rows of one range (after, until]: one page, unless rows were put into the range since it
 * was cut (only a forger does that), which are then read too, a page at a time.
 */
export async function rangePages(
  run: RunPage,
  after: LogPosition,
  until: LogPosition,
  options: { macs: boolean; batch: number },
): Promise<Array<readonly PassRow[]>> {
  const pages: Array<readonly PassRow[]> = [];
  for (;;) {
    const rows = await readPassPage((text) => run(text, [after.transactionId, after.globalPosition, until.transactionId, until.globalPosition]), {
      macs: options.macs,
      bounded: false,
      until: true,
      limit: options.batch,
    });
    pages.push(rows);
    const end = rows[rows.length - 1];
    if (rows.length < options.batch || !end) return pages;
    const reached = positionOf(end);
    if (reached.transactionId === until.transactionId && reached.globalPosition === until.globalPosition) return pages;
    after = reached;
  }
}
