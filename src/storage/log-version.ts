import { sql, type Kysely } from 'kysely';
import type { Database } from './database';

/** Where the log stood for a reader: its last visible event, and the transactions then still open. */
export interface LogMark {
  /** `transaction_id.global_position` of the last visible event in commit order ('' for none). */
  head: string;
  /** Transactions in progress at that moment (commit keys: xid plus the position base). */
  inProgress: readonly string[];
}

/**
 * Where the log stands now, and whether it has moved since `since`: whether an event this reader
 * can see was added after that mark (issue 20: coverage and the score sheet are the same for a
 * reader until something is recorded, so their answers are reused until then).
 *
 * Not the highest position alone: a transaction that was open at the mark can commit events
 * ordered before the head and leave it unchanged. Those transactions are exactly the snapshot's
 * in-progress list, so the log has moved when the head has, or when any of them has events now;
 * a transaction that starts after the mark commits after the head, and moves it. Exact, and
 * independent of other databases' transactions on the cluster (they only lengthen the list).
 * One statement: the head and the open transactions are read against the same snapshot.
 */
export async function logMark(db: Kysely<Database>, since?: LogMark): Promise<{ mark: LogMark; moved: boolean }> {
  const open = since && since.inProgress.length > 0 ? [...since.inProgress] : null;
  const { rows } = await sql<{ head: string | null; in_progress: string[] | string | null; landed: boolean }>`
    with s as materialized (select pg_current_snapshot() as snap, (select base from es_position_base) as base)
    select
      (select transaction_id::text || '.' || global_position::text from es_events
        order by transaction_id desc, global_position desc limit 1) as head,
      (select array_agg((x::text::bigint + s.base)::text) from s, pg_snapshot_xip(s.snap) as x) as in_progress,
      ${open ? sql`exists (select 1 from es_events where transaction_id = any(${open}::bigint[]))` : sql`false`} as landed`.execute(db);
  const row = rows[0]!;
  const mark: LogMark = { head: row.head ?? '', inProgress: textArray(row.in_progress) };
  return { mark, moved: !since || since.head !== mark.head || row.landed };
}

/** A text[] as node-postgres gives it (an array) or as PGlite may (its literal, `{1,2}`). */
const textArray = (value: string[] | string | null): string[] =>
  value === null
    ? []
    : Array.isArray(value)
      ? value
      : value
          .replace(/^\{|\}$/g, '')
          .split(',')
          .filter(Boolean);
