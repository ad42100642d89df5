import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../application/event-store';
import { STANDARD_ITEMS } from '../../domain/stations/standard';
import type { StationEvent } from '../../domain/stations/station.events';
import type { Projection } from '../projection';

const emptyChecklist = () => Object.fromEntries(STANDARD_ITEMS.map((item) => [item, { met: false }]));

/** Town stations and village service points with their 六有 checklist. Inline. */
export const stationsProjection: Projection = {
  name: 'stations',
  mode: 'inline',
  handles: ['StationPlanned', 'StandardItemMet', 'StandardItemUnmet', 'StationOpened', 'StationRatedQuality'],
  tables: ['rm_stations'],
  async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
    for (const event of events) await applyOne(trx, event as unknown as StationEvent & RecordedEvent);
  },
};

async function applyOne(trx: Kysely<any>, event: StationEvent & Pick<RecordedEvent, 'version' | 'recordedAt'>): Promise<void> {
  const { version, recordedAt } = event;
  const guard = sql`id = ${event.data.stationId} and version < ${version}`;
  switch (event.type) {
    case 'StationPlanned': {
      const d = event.data;
      const townId = d.unit.kind === 'town' ? sql`${d.unit.townId}::uuid` : sql`(select town_id from rm_villages where id = ${d.unit.villageId})`;
      const villageId = d.unit.kind === 'village' ? d.unit.villageId : null;
      await sql`
        insert into rm_stations (id, kind, town_id, village_id, name, status, quality, checklist, version, updated_at)
        values (${d.stationId}, ${d.kind}, ${townId}, ${villageId}, ${d.name}, 'planned', false, ${JSON.stringify(emptyChecklist())}::jsonb, ${version}, ${recordedAt})
        on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'StandardItemMet': {
      const d = event.data;
      const entry = JSON.stringify({ met: true, note: d.note, on: d.metOn });
      await sql`update rm_stations set checklist = jsonb_set(checklist, ${`{${d.item}}`}::text[], ${entry}::jsonb), version = ${version}, updated_at = ${recordedAt}
                where ${guard}`.execute(trx);
      return;
    }
    case 'StandardItemUnmet': {
      const d = event.data;
      const entry = JSON.stringify({ met: false, note: d.note });
      await sql`update rm_stations set checklist = jsonb_set(checklist, ${`{${d.item}}`}::text[], ${entry}::jsonb), version = ${version}, updated_at = ${recordedAt}
                where ${guard}`.execute(trx);
      return;
    }
    case 'StationOpened':
      await sql`update rm_stations set status = 'operating', opened_on = ${event.data.openedOn}, version = ${version}, updated_at = ${recordedAt} where ${guard}`.execute(trx);
      return;
    case 'StationRatedQuality':
      await sql`update rm_stations set quality = true, version = ${version}, updated_at = ${recordedAt} where ${guard}`.execute(trx);
      return;
  }
}
