import { sql, type RawBuilder } from 'kysely';

import { inIds } from '../row-values';

export { containing, day, iso, json, num } from '../row-values';

/**
 * Jurisdiction as SQL: `townIds` null means every town. County-wide rows (town null) are the
 * county's own (bureau projects, donations received by the bureau) and visible to everyone.
 */
export function townScope(column: string, townIds: readonly string[] | null | undefined, countyWide: 'visible' | 'none' = 'none'): RawBuilder<unknown> {
  if (!townIds) return sql`true`;
  const inTowns = inIds(column, townIds);
  return countyWide === 'visible' ? sql`(${sql.ref(column)} is null or ${inTowns})` : inTowns;
}
