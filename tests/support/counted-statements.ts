import type { SqlDatabase } from '../../src/storage/sql-database';

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
