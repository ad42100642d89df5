import { sql, type RawBuilder } from 'kysely';

/** Row-shaping helpers: both engines may return dates as Date or text, bigints as text. */
export const day = (v: unknown): string | null => (v == null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
export const num = (v: unknown): number => (v == null ? 0 : Number(v));
export const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
export const iso = (v: unknown): string => new Date(v as string).toISOString();

/**
 * Jurisdiction as SQL: `townIds` null means every town. County-wide rows (town null) are the
 * county's own (bureau projects, donations received by the bureau) and visible to everyone.
 */
export function townScope(column: string, townIds: readonly string[] | null | undefined, countyWide: 'visible' | 'none' = 'none'): RawBuilder<unknown> {
  if (!townIds) return sql`true`;
  const ref = sql.ref(column);
  const inTowns = townIds.length ? sql`${ref} = any(${[...townIds]}::uuid[])` : sql`false`;
  return countyWide === 'visible' ? sql`(${ref} is null or ${inTowns})` : inTowns;
}

/** `%text%` for LIKE, with the user's own % and _ taken literally. */
export const containing = (text: string) => `%${text.replace(/[%_\\]/g, '\\$&')}%`;
