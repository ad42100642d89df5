import type { PlaceScope } from '../../projections/detection/placed-findings.sql';
import type { Jurisdiction } from '../jurisdiction';

/**
 * Jurisdiction as a filter on where a finding is now. A village worker sees the findings of
 * their groups; town and county workers those of their towns; findings in no group (the
 * unplaced queue) only those who see everything.
 */
export function placeScope(j: Jurisdiction): PlaceScope {
  switch (j.scope) {
    case 'all':
      return { townIds: null, groupIds: null };
    case 'none':
      return { townIds: [], groupIds: null };
    case 'towns':
      return { townIds: [...j.townIds], groupIds: null };
    case 'groups':
      return { townIds: null, groupIds: [...j.groupIds] };
  }
}
