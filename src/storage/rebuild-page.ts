import { CompiledQuery, type Kysely } from 'kysely';
import type { InlineGuard, InlineProjection, InlineRows, InlineStatement, InlineWrite, RecordedEvent } from '../application/event-store';
import { MAX_STATEMENT_PARAMS, rowsStatements, rowsWithStatements, writesParams } from './append-many-statement';
import type { Database } from './database';

const isGuard = (w: InlineWrite): w is InlineGuard => 'transactionWhen' in w;
const isStatement = (w: InlineWrite): w is InlineStatement => 'sql' in w;

/**
 * A rebuild's page of events written into the shadow the way the batched append (appendMany)
 * writes a batch: the projection's `rowsFor` says the page's writes as rows, and they go in as
 * one insert per table instead of a statement or more per event. The page is cut into the
 * longest stretches `rowsFor` can say as rows (with the sub-statements it adds for what rows
 * cannot say, in one statement as the append carries them); an event it cannot (an update of a
 * row already stored, a person upserted twice) `apply` writes as it always did, and a guard
 * that holds sends its stretch to `apply` too. The rows are the same either way: `rowsFor` answers
 * exactly what `apply` would write (the contract the append statement already relies on).
 */
export async function applyPage(trx: Kysely<Database>, projection: InlineProjection, events: readonly RecordedEvent[]): Promise<void> {
  if (!projection.rowsFor) {
    await projection.apply(trx, events);
    return;
  }
  if (projection.rowsByStream && (await byStream(trx, projection, events))) return;
  for (const stretch of stretches(projection, events)) {
    if (stretch.rows === null || (stretch.guard !== null && (await holds(trx, stretch.guard)))) await projection.apply(trx, stretch.events);
    else if (stretch.statements.length > 0) {
      const { text, params } = rowsWithStatements(stretch.rows, stretch.statements);
      await trx.executeQuery(CompiledQuery.raw(text, params));
    } else for (const { text, params } of rowsStatements(stretch.rows)) await trx.executeQuery(CompiledQuery.raw(text, params));
  }
}

/**
 * A page of a projection whose streams' rows are their own (rowsByStream), written a stream at a
 * time rather than in stretches: a case's steps interleave with other cases' in the log, so a
 * stretch breaks at the first step of a case applied in an earlier page and most of the page
 * would go to `apply` (29,596 of the county's 33,402 case events). Each stream whose events in
 * the page `rowsFor` can say alone (one that begins in the page, folded whole) goes in as rows;
 * the other streams' events are applied first, in the page's order. Their order against the rows
 * does not matter but for keys across streams (one open case per household and programme), and
 * those hold at the end of the page as at every point, so the rows, each stream at its end,
 * inserted after the others have moved on, find no conflict that the log did not have.
 * False (nothing written) when a stream's rows come with a guard.
 */
async function byStream(trx: Kysely<Database>, projection: InlineProjection, events: readonly RecordedEvent[]): Promise<boolean> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    const list = streams.get(e.streamId);
    if (list) list.push(e);
    else streams.set(e.streamId, [e]);
  }
  // Each stream folded once; the streams' rows, theirs alone, go in together (one insert per table).
  const tables = new Map<string, { write: InlineRows; rows: (readonly unknown[])[] }>();
  const unfolded = new Set<string>();
  for (const [streamId, own] of streams) {
    const answer = projection.rowsFor!(own);
    // A sub-statement (a lone step's update of a case begun earlier) is applied as the handler writes it.
    if (answer === null || answer.some(isStatement)) unfolded.add(streamId);
    else if (answer.some(isGuard)) return false;
    else
      for (const w of answer as readonly InlineRows[]) {
        const table = tables.get(w.table) ?? tables.set(w.table, { write: w, rows: [] }).get(w.table)!;
        table.rows.push(...w.rows);
      }
  }
  if (tables.size === 0) return false;
  if (unfolded.size > 0)
    await projection.apply(
      trx,
      events.filter((e) => unfolded.has(e.streamId)),
    );
  const inserts = [...tables.values()].filter((t) => t.rows.length > 0).map((t) => ({ ...t.write, rows: t.rows }));
  for (const { text, params } of rowsStatements(inserts)) await trx.executeQuery(CompiledQuery.raw(text, params));
  return true;
}

interface Stretch {
  events: readonly RecordedEvent[];
  /** Null: `apply` writes these events. */
  rows: InlineRows[] | null;
  /** Sub-statements (what rows cannot say): with the rows in one statement, as the append runs them. */
  statements: InlineStatement[];
  guard: string | null;
}

/** The page cut into consecutive stretches, each as long as `rowsFor` can say it as rows (in the page's order). */
function stretches(projection: InlineProjection, events: readonly RecordedEvent[]): Stretch[] {
  const out: Stretch[] = [];
  for (let from = 0; from < events.length;) {
    const { length, answer } = longestSaid(projection, events, from);
    if (answer === null) {
      // One event `apply` writes; its neighbours of the same kind join it in one call.
      const last = out[out.length - 1];
      if (last && last.rows === null) last.events = [...last.events, events[from]!];
      else out.push({ events: [events[from]!], rows: null, statements: [], guard: null });
      from += 1;
      continue;
    }
    const guard = answer.find(isGuard)?.transactionWhen ?? null;
    const rows = answer.filter((w): w is InlineRows => !isGuard(w) && !isStatement(w) && w.rows.length > 0);
    out.push({ events: events.slice(from, from + length), rows, statements: answer.filter(isStatement), guard });
    from += length;
  }
  return out;
}

/**
 * `rowsFor`'s answer, else null. Rows alone may be split over several inserts; with
 * sub-statements they must fit one statement (each sub-statement sees the snapshot before all
 * the rows), else the run is too long.
 */
function said(projection: InlineProjection, events: readonly RecordedEvent[]): readonly InlineWrite[] | null {
  const answer = projection.rowsFor!(events);
  if (answer === null) return null;
  const statements = answer.filter(isStatement);
  if (statements.length === 0) return answer;
  const rows = answer.filter((w): w is InlineRows => !isGuard(w) && !isStatement(w));
  return writesParams(rows, statements) <= MAX_STATEMENT_PARAMS ? answer : null;
}

/**
 * The longest run of events from `from` that `rowsFor` says as rows: the whole rest when it can
 * (a page of visits), else found by doubling, then halving, its length (a household's later
 * events fold only into a registration in the same run, so a run that cannot be said stays so
 * when it grows; one event alone may not be said where two are: the schedule's lone visit).
 */
function longestSaid(projection: InlineProjection, events: readonly RecordedEvent[], from: number): { length: number; answer: readonly InlineWrite[] | null } {
  const n = events.length - from;
  const whole = said(projection, events.slice(from));
  if (whole) return { length: n, answer: whole };
  let good = 0;
  let answer: readonly InlineWrite[] | null = null;
  let bad = n;
  for (let length = 1; length < n; length = Math.min(2 * length, n)) {
    const a = said(projection, events.slice(from, from + length));
    if (a) [good, answer] = [length, a];
    else if (length > 1) {
      bad = length;
      break;
    }
  }
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    const a = said(projection, events.slice(from, from + mid));
    if (a) [good, answer] = [mid, a];
    else bad = mid;
  }
  return { length: good, answer };
}

async function holds(trx: Kysely<Database>, guard: string): Promise<boolean> {
  const row = (await trx.executeQuery<{ holds: boolean }>(CompiledQuery.raw(`select (${guard}) as holds`, []))).rows[0];
  return row?.holds === true;
}
