import { sql, type Kysely } from 'kysely';
import type { GroupFacts, HouseholdFacts } from '../../domain/visits/due';
import type { Database, Db, Row } from '../../storage/database';
import { householdFacts } from '../households/households.queries';

/** Places as other slices need them: names for a report, the town a village lies in. */

/**
 * The town of a village as a subquery a statement of another slice embeds (a projection's insert
 * or update stays one statement, and reads the village geography wrote earlier in the transaction).
 */
export const townIdOfVillage = (db: Db, villageId: string) => db.selectFrom('rm_villages').select('town_id').where('id', '=', villageId);

/** Every town, village and villager group by id: name (and a village's kind), for report bodies. */
export async function placeNames(db: Db) {
  const [towns, villages, groups] = await Promise.all([
    db.selectFrom('rm_towns').select(['id', 'name']).execute(),
    db.selectFrom('rm_villages').select(['id', 'name', 'kind']).execute(),
    db.selectFrom('rm_groups').select(['id', 'name']).execute(),
  ]);
  return {
    townNames: new Map(towns.map((r) => [r.id, r.name])),
    villageNames: new Map(villages.map((r) => [r.id, r.name])),
    villageKinds: new Map(villages.map((r) => [r.id, r.kind])),
    groupNames: new Map(groups.map((r) => [r.id, r.name])),
  };
}

/** Groups and their households as `computeSchedule` wants them (workerId is filled per assignment by the caller). */
export async function groupsAndHouseholds(db: Kysely<Database>, groupIds: readonly string[]): Promise<{ groups: GroupFacts[]; households: HouseholdFacts[] }> {
  if (groupIds.length === 0) return { groups: [], households: [] };
  const ids = [...groupIds];
  const groups = (
    await sql<
      Pick<Row<'rm_groups'>, 'id' | 'village_id' | 'town_id' | 'registered_at'>
    >`select id, village_id, town_id, registered_at from rm_groups where id = any(${ids}::uuid[])`.execute(db)
  ).rows;
  return {
    groups: groups.map((g) => ({
      groupId: g.id,
      villageId: g.village_id,
      townId: g.town_id,
      workerId: null,
      registeredOn: new Date(g.registered_at).toISOString().slice(0, 10),
    })),
    households: await householdFacts(db, groups),
  };
}

/** Villager groups with their village and town, as a derived table another slice's statement joins. */
export const groupPlaceRows = sql`(select id, village_id, town_id from rm_groups)`;
