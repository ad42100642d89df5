import { sql, type RawBuilder } from 'kysely';

export { containing, day, iso, json, num } from '../row-values';

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

