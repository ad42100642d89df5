import type { InlineProjection } from '../../src/application/event-store';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { SqlEventStore } from '../../src/storage/sql-event-store';

/**
 * The same database, with the name of every prepared statement pushed to `statements`: what the
 * event store sends as one statement, so a test can count its round trips.
 */
export function countingPrepared<D extends SqlDatabase>(database: D, statements: string[]): D {
  return {
    ...database,
    prepared: async <R>(name: string, text: string, params: readonly unknown[]) => (statements.push(name), database.prepared<R>(name, text, params)),
  };
}

/** A projection without its rows (`rowsFor`): the store applies it in a transaction, the reference path. */
export function applyOnly<P extends { rowsFor?: unknown }>(projection: P): Omit<P, 'rowsFor'> {
  const { rowsFor: _rows, ...rest } = projection;
  return rest;
}

/**
 * Two stores on one database, for comparing a projection's one-statement rows with its reference:
 * `fast` runs the projections as given (their `rowsFor` rows in the append statement) and counts
 * its prepared statements into `statements`; `slow` runs them without their rows (`applyOnly`).
 */
export function fastAndSlowStores(
  database: SqlDatabase,
  projections: readonly InlineProjection[],
  statements: string[],
): { fast: SqlEventStore; slow: SqlEventStore } {
  return {
    fast: new SqlEventStore(countingPrepared(database, statements), { inlineProjections: [...projections] }),
    slow: new SqlEventStore(database, { inlineProjections: projections.map(applyOnly) }),
  };
}
