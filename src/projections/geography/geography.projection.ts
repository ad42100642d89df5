import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../application/event-store';
import type { TownEvent } from '../../domain/geography/town.events';
import type { VillageEvent } from '../../domain/geography/village.events';
import type { VillagerGroupEvent } from '../../domain/geography/villager-group.events';
import type { Projection } from '../projection';

type GeographyEvent = TownEvent | VillageEvent | VillagerGroupEvent;

/**
 * Towns, villages, villager groups and who is responsible for each group (包保), with every
 * dated period kept. Inline: commands look codes and parents up here, and a client must see
 * what it just created. Writes are guarded by stream version, so replays change nothing.
 */
export const geographyProjection: Projection = {
  name: 'geography',
  mode: 'inline',
  handles: [
    'TownRegistered',
    'TownRenamed',
    'TownRetired',
    'VillageRegistered',
    'VillageRenamed',
    'VillageRetired',
    'VillagerGroupRegistered',
    'VillagerGroupRenamed',
    'VillagerGroupRetired',
    'GroupResponsibilityAssigned',
    'GroupResponsibilityEnded',
  ],
  tables: ['rm_towns', 'rm_villages', 'rm_groups', 'rm_group_responsibilities'],
  async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
    for (const event of events) await applyOne(trx, event as unknown as GeographyEvent & RecordedEvent);
  },
};

async function applyOne(trx: Kysely<any>, event: GeographyEvent & Pick<RecordedEvent, 'version' | 'recordedAt'>): Promise<void> {
  const { version, recordedAt } = event;
  switch (event.type) {
    case 'TownRegistered': {
      const d = event.data;
      await sql`
        insert into rm_towns (id, code, name, status, version, registered_at, updated_at)
        values (${d.townId}, ${d.code}, ${d.name}, 'active', ${version}, ${d.registeredAt}, ${recordedAt})
        on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'TownRenamed':
      await sql`update rm_towns set name = ${event.data.name}, version = ${version}, updated_at = ${recordedAt}
                where id = ${event.data.townId} and version < ${version}`.execute(trx);
      return;
    case 'TownRetired':
      await sql`update rm_towns set status = 'retired', retired_at = ${event.data.retiredAt}, version = ${version}, updated_at = ${recordedAt}
                where id = ${event.data.townId} and version < ${version}`.execute(trx);
      return;
    case 'VillageRegistered': {
      const d = event.data;
      await sql`
        insert into rm_villages (id, code, name, kind, town_id, status, version, registered_at, updated_at)
        values (${d.villageId}, ${d.code}, ${d.name}, ${d.kind}, ${d.townId}, 'active', ${version}, ${d.registeredAt}, ${recordedAt})
        on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'VillageRenamed':
      await sql`update rm_villages set name = ${event.data.name}, version = ${version}, updated_at = ${recordedAt}
                where id = ${event.data.villageId} and version < ${version}`.execute(trx);
      return;
    case 'VillageRetired':
      await sql`update rm_villages set status = 'retired', version = ${version}, updated_at = ${recordedAt}
                where id = ${event.data.villageId} and version < ${version}`.execute(trx);
      return;
    case 'VillagerGroupRegistered': {
      const d = event.data;
      await sql`
        insert into rm_groups (id, code, name, village_id, town_id, status, version, registered_at, updated_at)
        select ${d.groupId}, ${d.code}, ${d.name}, ${d.villageId}, v.town_id, 'active', ${version}, ${d.registeredAt}, ${recordedAt}
        from rm_villages v where v.id = ${d.villageId}
        on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'VillagerGroupRenamed':
      await sql`update rm_groups set name = ${event.data.name}, version = ${version}, updated_at = ${recordedAt}
                where id = ${event.data.groupId} and version < ${version}`.execute(trx);
      return;
    case 'VillagerGroupRetired':
      await sql`update rm_groups set status = 'retired', version = ${version}, updated_at = ${recordedAt}
                where id = ${event.data.groupId} and version < ${version}`.execute(trx);
      return;
    case 'GroupResponsibilityAssigned': {
      const d = event.data;
      if (d.previous) {
        await sql`update rm_group_responsibilities set to_date = ${d.previous.to}
                  where group_id = ${d.groupId} and from_date = ${d.previous.from}`.execute(trx);
      }
      await sql`
        insert into rm_group_responsibilities (group_id, worker_id, from_date, to_date)
        values (${d.groupId}, ${d.workerId}, ${d.from}, null)
        on conflict (group_id, from_date) do update set worker_id = excluded.worker_id, to_date = null`.execute(trx);
      await sql`update rm_groups set version = ${version}, updated_at = ${recordedAt} where id = ${d.groupId} and version < ${version}`.execute(trx);
      return;
    }
    case 'GroupResponsibilityEnded': {
      const d = event.data;
      await sql`update rm_group_responsibilities set to_date = ${d.to} where group_id = ${d.groupId} and from_date = ${d.from}`.execute(trx);
      await sql`update rm_groups set version = ${version}, updated_at = ${recordedAt} where id = ${d.groupId} and version < ${version}`.execute(trx);
      return;
    }
  }
}
