import type { Kysely } from 'kysely';
import type pg from 'pg';
import { copyOut } from './copy-out';
import type { Database } from './database';
import { CopiedRows, copyRangeQuery } from './log-copy-pages';
import { isUnparsableText, type LogPosition, type PassRow } from './log-hasher';
import { rangePages, type RunPage } from './log-page-reads';

/** A pooled connection of the database the verify reads, for its binary COPY reads. */
export type ConnectForCopy = () => Promise<pg.PoolClient>;

// Keyed by the Kysely instance the event store verifies through, as allowParallelReads.
const registered = new WeakMap<Kysely<Database>, ConnectForCopy>();

/** Called by openPostgres: the whole-log verify may read this database's log by binary COPY on its pool. */
export function allowCopyReads(db: Kysely<Database>, connect: ConnectForCopy): void {
  registered.set(db, connect);
}

export function copyReadsOf(db: Kysely<Database>): ConnectForCopy | undefined {
  return registered.get(db);
}

/** A page as read: binary COPY tuples, or rows as pg gives them (the end of the log, a range read again). */
export type ReadPage = { copied: CopiedRows; rows?: undefined } | { rows: readonly PassRow[]; copied?: undefined };

/**
 * The rows of one range (after, until] by binary COPY, a page of `batch` at most each time (more
 * only when rows were put into the range since it was cut), as rangePages reads them. A text the
 * database cannot parse as JSON stops a COPY as it stops a page query: the range is then read
 * from there as one connection reads it, which reports the edit as an altered event.
 */
export async function copyRangePages(
  connect: ConnectForCopy,
  run: RunPage,
  after: LogPosition,
  until: LogPosition,
  options: { macs: boolean; batch: number },
): Promise<ReadPage[]> {
  const pages: ReadPage[] = [];
  for (;;) {
    let bytes: Buffer;
    const client = await connect();
    try {
      bytes = await copyOut(client, copyRangeQuery({ macs: options.macs, after, until, limit: options.batch }));
      client.release();
    } catch (error) {
      // A statement the server refused leaves the connection usable; anything else does not.
      const refused = typeof (error as { code?: unknown } | null)?.code === 'string';
      client.release(refused ? undefined : (error as Error));
      if (!isUnparsableText(error)) throw error;
      for (const rows of await rangePages(run, after, until, options)) pages.push({ rows });
      return pages;
    }
    const copied = new CopiedRows(bytes, options.batch);
    pages.push({ copied });
    if (copied.count < options.batch) return pages;
    const reached = copied.position(copied.count - 1);
    if (reached.transactionId === until.transactionId && reached.globalPosition === until.globalPosition) return pages;
    after = reached;
  }
}
