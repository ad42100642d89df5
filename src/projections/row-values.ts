import { sql, type RawBuilder } from 'kysely';

/** Row-shaping helpers: PostgreSQL and PGlite may return dates as Date or text, bigints and jsonb as text. */
export const day = (v: unknown): string | null => (v == null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
export const num = (v: unknown): number => (v == null ? 0 : Number(v));
export const json = <T = unknown>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
export const iso = (v: unknown): string => new Date(v as string).toISOString();
/** A count or sum as the driver returns it: PostgreSQL sends bigint and numeric as text, PGlite may send numbers. */
export type Aggregate = string | number | bigint | null;
/** `%text%` for LIKE, with the user's own % and _ taken literally. */
export const containing = (text: string) => `%${text.replace(/[%_\\]/g, '\\$&')}%`;

/**
 * A jurisdiction filter in SQL: the column is one of these ids (uuid); no ids means no rows.
 * Callers skip it when the caller's scope is everything (ids null).
 */
export function inIds(column: string, ids: readonly string[]): RawBuilder<unknown> {
  return ids.length ? sql`${sql.ref(column)} = any(${[...ids]}::uuid[])` : sql`false`;
}

/** `and inIds(…)` when there is a scope, nothing when the scope is everything (null). */
export const andInIds = (column: string, ids: readonly string[] | null | undefined): RawBuilder<unknown> => (ids ? sql`and ${inIds(column, ids)}` : sql``);

/** Past any list a service keeps: a jsonpath subscript beyond the int range is an error, not an empty page. */
const LAST_SUBSCRIPT = 1_000_000_000;

/**
 * The items `from` (0-based) to `from + limit` of a jsonb array column, as a jsonb array: a page
 * of a long list (a metric's evidence) cut in the database by a jsonpath subscript (lax: past the
 * end is an empty page), so only the page crosses to the service and nothing is parsed.
 */
export function jsonbArrayPage(column: string, from: number, limit: number): RawBuilder<unknown> {
  const first = Math.min(from, LAST_SUBSCRIPT);
  const last = Math.min(from + limit - 1, LAST_SUBSCRIPT);
  return sql`jsonb_path_query_array(${sql.ref(column)}, '$[$first to $last]', jsonb_build_object('first', ${first}::int, 'last', ${last}::int))`;
}
