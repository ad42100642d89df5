import { CompiledQuery, type Kysely } from 'kysely';
import type { InlineGuard, InlineProjection, InlineRows, InlineStatement, InlineWrite, RecordedEvent } from '../application/event-store';
import { rowsStatements } from './append-many-statement';
import type { Database } from './database';

const isGuard = (w: InlineWrite): w is InlineGuard => 'transactionWhen' in w;
const isStatement = (w: InlineWrite): w is InlineStatement => 'sql' in w;

/**
 * A rebuild's page of events written into the shadow the way the batched append (appendMany)
 * writes a batch: the projection's `rowsFor` says the page's writes as rows, and they go in as
 * one insert per table instead of a statement or more per event. A stretch of the page
 * `rowsFor` cannot say as rows (an update in place, a person upserted twice) is split in two
 * until each part can, or is one event, which `apply` writes as it always did; a guard that
 * holds sends its stretch to `apply` too. The rows are the same either way: `rowsFor` answers
 * exactly what `apply` would write (the contract the append statement already relies on).
 */
export async function applyPage(trx: Kysely<Database>, projection: InlineProjection, events: readonly RecordedEvent[]): Promise<void> {
  if (!projection.rowsFor) {
    await projection.apply(trx, events);
    return;
  }
  for (const stretch of stretches(projection, events)) {
    if (stretch.rows === null || (stretch.guard !== null && (await holds(trx, stretch.guard)))) await projection.apply(trx, stretch.events);
    else for (const { text, params } of rowsStatements(stretch.rows)) await trx.executeQuery(CompiledQuery.raw(text, params));
  }
}

interface Stretch {
  events: readonly RecordedEvent[];
  /** Null: `apply` writes these events. */
  rows: InlineRows[] | null;
  guard: string | null;
}

/** The page cut into consecutive stretches, each as long as `rowsFor` can say it as rows (in the page's order). */
function stretches(projection: InlineProjection, events: readonly RecordedEvent[]): Stretch[] {
  if (events.length === 0) return [];
  const answer = projection.rowsFor!(events);
  if (answer !== null && !answer.some(isStatement)) {
    const guard = answer.find(isGuard)?.transactionWhen ?? null;
    return [{ events, rows: answer.filter((w): w is InlineRows => !isGuard(w) && !isStatement(w) && w.rows.length > 0), guard }];
  }
  if (events.length === 1) return [{ events, rows: null, guard: null }];
  const half = Math.ceil(events.length / 2);
  return merge([...stretches(projection, events.slice(0, half)), ...stretches(projection, events.slice(half))]);
}

/** Neighbouring stretches that `apply` writes become one call (one call per page, as before, when nothing is said as rows). */
function merge(parts: Stretch[]): Stretch[] {
  const out: Stretch[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (last && last.rows === null && part.rows === null) out[out.length - 1] = { events: [...last.events, ...part.events], rows: null, guard: null };
    else out.push(part);
  }
  return out;
}

async function holds(trx: Kysely<Database>, guard: string): Promise<boolean> {
  const row = (await trx.executeQuery<{ holds: boolean }>(CompiledQuery.raw(`select (${guard}) as holds`, []))).rows[0];
  return row?.holds === true;
}
