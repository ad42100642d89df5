import type { PGlite } from '@electric-sql/pglite';

export declare const MAX_PREPARED_STATEMENTS: number;

/** `query(text, params)` with `pglite.query`'s answer, through prepared statements (see the .mjs). */
export declare function preparedStatements(
  pglite: PGlite,
  options?: { max?: number },
): { query<R>(text: string, params?: readonly unknown[]): Promise<{ rows: R[]; affectedRows?: number }> };
