import { sql, type RawBuilder } from 'kysely';
import type { Row } from '../../storage/database';
import { groupPlaceRows } from '../geography/places.queries';
import { responsibilitiesInForceOn } from '../geography/responsibilities.queries';
import { personHouseholdRows } from '../households/registered-people.queries';
import { inIds } from '../row-values';

/** A row of placedFindings: the finding's own columns and where it is now. */
export interface PlacedFindingRow extends Row<'rm_detection_findings'> {
  current_household_id: string | null;
  place_group_id: string | null;
  place_village_id: string | null;
  place_town_id: string | null;
  assignee_id: string | null;
  overdue: boolean;
}

/**
 * Findings with where they are now and who has their task, computed at query time in one
 * statement that joins the owners' derived tables (households, geography):
 * - place: the group of the household the person belongs to today (a move or a registration
 *   made after the finding is followed), else the group recorded with the finding (the
 *   household's group when found, or where an unregistered person was placed), else unplaced;
 * - assignee: for an open task, whoever is responsible for that group today
 *   (geography's responsibilities in force), so a handover moves open tasks without any event of ours and
 *   nothing can go stale; for a closed task, whoever recorded the outcome.
 */
export function placedFindings(today: string): RawBuilder<unknown> {
  return sql`
    select f.*,
           coalesce(h.id, f.household_id) as current_household_id,
           g.id as place_group_id, g.village_id as place_village_id, g.town_id as place_town_id,
           case when f.status = 'open' then r.worker_id::text else f.closed_by end as assignee_id,
           (f.status = 'open' and f.deadline < ${today}::date) as overdue
    from rm_detection_findings f
    left join ${personHouseholdRows} h on h.person_id = f.person_id
    left join ${groupPlaceRows} g on g.id = coalesce(h.group_id, f.group_id)
    left join ${responsibilitiesInForceOn(today)} r on r.group_id = g.id`;
}

/** Jurisdiction as a filter on the computed place (null lists = no restriction); unplaced rows only for "all". */
export interface PlaceScope {
  townIds: readonly string[] | null;
  groupIds: readonly string[] | null;
}

export function scopeFilter(scope: PlaceScope): RawBuilder<unknown> {
  const parts = [sql`true`];
  if (scope.townIds) parts.push(inIds('x.place_town_id', scope.townIds));
  if (scope.groupIds) parts.push(inIds('x.place_group_id', scope.groupIds));
  return sql.join(parts, sql` and `);
}
