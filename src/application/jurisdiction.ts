import type { Actor } from './actor';
import { noteAreaCheck } from './area-checks';

/**
 * Where an actor may act, derived from the assignments in force:
 * - admin: everywhere; auditors and evaluators read everywhere (they never write);
 * - county worker: the towns they link (挂联);
 * - town worker: their town;
 * - village worker: the villager groups they are responsible for (包保).
 */
export type Jurisdiction =
  | { scope: 'all' }
  | { scope: 'towns'; townIds: ReadonlySet<string> }
  | { scope: 'groups'; groupIds: ReadonlySet<string>; villageIds: ReadonlySet<string>; townIds: ReadonlySet<string> }
  | { scope: 'none' };

const NO_IDS: ReadonlySet<string> = new Set();

/** A place something happens: always a town, often a village, sometimes a villager group. */
export interface Place {
  townId: string;
  villageId?: string | null;
  groupId?: string | null;
}

export function covers(jurisdiction: Jurisdiction, place: Place): boolean {
  const passed = coversPlace(jurisdiction, place);
  // Everywhere needs no note: a replay re-checks the caller's scope itself.
  if (passed && jurisdiction.scope !== 'all') noteAreaCheck('covers', place);
  return passed;
}

function coversPlace(jurisdiction: Jurisdiction, place: Place): boolean {
  switch (jurisdiction.scope) {
    case 'all':
      return true;
    case 'towns':
      return jurisdiction.townIds.has(place.townId);
    case 'groups':
      // A village worker acts on their groups only: a place above group level is outside it.
      return !!place.groupId && jurisdiction.groupIds.has(place.groupId);
    case 'none':
      return false;
  }
}

/** Looks up the assignments in force for an actor on a date (the read models know them). */
export interface JurisdictionResolver {
  resolve(actor: Actor, onDate: string): Promise<Jurisdiction>;
}

/**
 * May the actor see this place? Looser than `covers`: a village worker sees the village and
 * town their groups lie in (to navigate), but acts only on the groups themselves.
 */
export function canSee(jurisdiction: Jurisdiction, place: Place): boolean {
  if (jurisdiction.scope !== 'groups') return covers(jurisdiction, place);
  const passed = place.groupId
    ? jurisdiction.groupIds.has(place.groupId)
    : place.villageId
      ? jurisdiction.villageIds.has(place.villageId)
      : jurisdiction.townIds.has(place.townId);
  if (passed) noteAreaCheck('canSee', place);
  return passed;
}

/** Filters for list queries: which towns, villages or groups the actor may see (null = all). */
export function visibleTowns(j: Jurisdiction): ReadonlySet<string> | null {
  if (j.scope === 'all') return null;
  if (j.scope === 'none') return NO_IDS;
  return j.townIds;
}

/** Jurisdiction as list filters for SQL (null = no restriction), so pages are cut after filtering. */
export function visibility(j: Jurisdiction): { townIds: readonly string[] | null; villageIds: readonly string[] | null; groupIds: readonly string[] | null } {
  switch (j.scope) {
    case 'all':
      return { townIds: null, villageIds: null, groupIds: null };
    case 'none':
      return { townIds: [], villageIds: [], groupIds: [] };
    case 'towns':
      return { townIds: [...j.townIds], villageIds: null, groupIds: null };
    case 'groups':
      return { townIds: [...j.townIds], villageIds: [...j.villageIds], groupIds: [...j.groupIds] };
  }
}

/** Jurisdiction as the town and group filters the household and visit queries take. */
export function scopeOf(j: Jurisdiction): { townIds: readonly string[] | null; groupIds: readonly string[] | null } {
  const { townIds, groupIds } = visibility(j);
  return { townIds, groupIds };
}
