import type { paths } from '../../api/schema';

export type OverdueItem = paths['/api/v1/schedule/overdue']['get']['responses'][200]['content']['application/json']['items'][number];

/** One village's overdue visits, with what the bureau wants first: how many, and the oldest due day. */
export interface VillageOverdue {
  villageId: string;
  townId: string;
  items: OverdueItem[];
  groups: number;
  households: number;
  oldestDue: string;
}

/**
 * The overdue obligations loaded so far, grouped by village: most overdue first, then the oldest
 * due day, then the id (a stable order while more pages arrive). Items keep the API's order.
 */
export function groupOverdueByVillage(items: readonly OverdueItem[]): VillageOverdue[] {
  const byVillage = new Map<string, OverdueItem[]>();
  for (const item of items) {
    const list = byVillage.get(item.villageId);
    if (list) list.push(item);
    else byVillage.set(item.villageId, [item]);
  }
  return [...byVillage.entries()]
    .map(([villageId, list]) => ({
      villageId,
      townId: list[0]!.townId,
      items: list,
      groups: new Set(list.map((x) => x.groupId)).size,
      households: new Set(list.filter((x) => x.householdId).map((x) => x.householdId)).size,
      oldestDue: list.reduce((oldest, x) => (x.dueDate < oldest ? x.dueDate : oldest), list[0]!.dueDate),
    }))
    .sort((a, b) => b.items.length - a.items.length || a.oldestDue.localeCompare(b.oldestDue) || a.villageId.localeCompare(b.villageId));
}
