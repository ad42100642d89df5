import type { TownEvent } from '../../domain/geography/town.events';
import type { VillageEvent } from '../../domain/geography/village.events';
import type { VillagerGroupEvent } from '../../domain/geography/villager-group.events';
import type { Db } from '../../storage/database';
import { typedProjection } from '../typed-projection';

type GeographyEvent = TownEvent | VillageEvent | VillagerGroupEvent;

/** Stamps a row with the event's stream version, unless a later event already did (replays change nothing). */
const touch = (trx: Db, table: 'rm_towns' | 'rm_villages' | 'rm_groups', id: string, version: number, recordedAt: string) =>
  trx.updateTable(table).set({ version, updated_at: recordedAt }).where('id', '=', id).where('version', '<', String(version));

/**
 * Towns, villages, villager groups and who is responsible for each group (包保), with every
 * dated period kept. Inline: commands look codes and parents up here, and a client must see
 * what it just created. Writes are guarded by stream version, so replays change nothing.
 */
export const geographyProjection = typedProjection<GeographyEvent>({
  name: 'geography',
  mode: 'inline',
  tables: ['rm_towns', 'rm_villages', 'rm_groups', 'rm_group_responsibilities'],
  handlers: {
    async TownRegistered(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_towns')
        .values({ id: d.townId, code: d.code, name: d.name, status: 'active', version, registered_at: d.registeredAt, updated_at: recordedAt })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async TownRenamed(trx, { data: d, version, recordedAt }) {
      await touch(trx, 'rm_towns', d.townId, version, recordedAt).set({ name: d.name }).execute();
    },
    async TownRetired(trx, { data: d, version, recordedAt }) {
      await touch(trx, 'rm_towns', d.townId, version, recordedAt).set({ status: 'retired', retired_at: d.retiredAt }).execute();
    },
    async VillageRegistered(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_villages')
        .values({
          id: d.villageId,
          code: d.code,
          name: d.name,
          kind: d.kind,
          town_id: d.townId,
          status: 'active',
          version,
          registered_at: d.registeredAt,
          updated_at: recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async VillageRenamed(trx, { data: d, version, recordedAt }) {
      await touch(trx, 'rm_villages', d.villageId, version, recordedAt).set({ name: d.name }).execute();
    },
    async VillageRetired(trx, { data: d, version, recordedAt }) {
      await touch(trx, 'rm_villages', d.villageId, version, recordedAt).set({ status: 'retired' }).execute();
    },
    async VillagerGroupRegistered(trx, { data: d, version, recordedAt }) {
      // The town comes from the village row, so a group is always filed under its village's town.
      await trx
        .insertInto('rm_groups')
        .columns(['id', 'code', 'name', 'village_id', 'town_id', 'status', 'version', 'registered_at', 'updated_at'])
        .expression((eb) =>
          eb
            .selectFrom('rm_villages as v')
            .select([
              eb.val(d.groupId).as('id'),
              eb.val(d.code).as('code'),
              eb.val(d.name).as('name'),
              eb.val(d.villageId).as('village_id'),
              'v.town_id',
              eb.val('active').as('status'),
              eb.val(version).as('version'),
              eb.val(d.registeredAt).as('registered_at'),
              eb.val(recordedAt).as('updated_at'),
            ])
            .where('v.id', '=', d.villageId),
        )
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async VillagerGroupRenamed(trx, { data: d, version, recordedAt }) {
      await touch(trx, 'rm_groups', d.groupId, version, recordedAt).set({ name: d.name }).execute();
    },
    async VillagerGroupRetired(trx, { data: d, version, recordedAt }) {
      await touch(trx, 'rm_groups', d.groupId, version, recordedAt).set({ status: 'retired' }).execute();
    },
    async GroupResponsibilityAssigned(trx, { data: d, version, recordedAt }) {
      if (d.previous) {
        await trx
          .updateTable('rm_group_responsibilities')
          .set({ to_date: d.previous.to })
          .where('group_id', '=', d.groupId)
          .where('from_date', '=', d.previous.from)
          .execute();
      }
      await trx
        .insertInto('rm_group_responsibilities')
        .values({ group_id: d.groupId, worker_id: d.workerId, from_date: d.from, to_date: null })
        .onConflict((oc) => oc.columns(['group_id', 'from_date']).doUpdateSet((eb) => ({ worker_id: eb.ref('excluded.worker_id'), to_date: null })))
        .execute();
      await touch(trx, 'rm_groups', d.groupId, version, recordedAt).execute();
    },
    async GroupResponsibilityEnded(trx, { data: d, version, recordedAt }) {
      await trx.updateTable('rm_group_responsibilities').set({ to_date: d.to }).where('group_id', '=', d.groupId).where('from_date', '=', d.from).execute();
      await touch(trx, 'rm_groups', d.groupId, version, recordedAt).execute();
    },
  },
});
