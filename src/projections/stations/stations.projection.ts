import { sql } from 'kysely';
import { STANDARD_ITEMS } from '../../domain/stations/standard';
import type { StationEvent } from '../../domain/stations/station.events';
import type { Db, JsonValue } from '../../storage/database';
import { townIdOfVillage } from '../geography/places.queries';
import { typedProjection } from '../typed-projection';

const emptyChecklist = () => Object.fromEntries(STANDARD_ITEMS.map((item) => [item, { met: false }]));

/** Stamps the station with the event's stream version, unless a later event already did (replays change nothing). */
const touch = (trx: Db, stationId: string, version: number, recordedAt: string) =>
  trx.updateTable('rm_stations').set({ version, updated_at: recordedAt }).where('id', '=', stationId).where('version', '<', String(version));

/** One item of the checklist replaced in place (jsonb_set), so concurrent items never overwrite each other. */
const checklistItem = (item: string, entry: object) => sql<JsonValue>`jsonb_set(checklist, ${`{${item}}`}::text[], ${JSON.stringify(entry)}::jsonb)`;

/** Town stations and village service points with their 六有 checklist. Inline. */
export const stationsProjection = typedProjection<StationEvent>({
  name: 'stations',
  mode: 'inline',
  tables: ['rm_stations'],
  handlers: {
    async StationPlanned(trx, { data: d, version, recordedAt }) {
      const unit = d.unit;
      await trx
        .insertInto('rm_stations')
        .values({
          id: d.stationId,
          kind: d.kind,
          town_id: unit.kind === 'town' ? unit.townId : townIdOfVillage(trx, unit.villageId),
          village_id: unit.kind === 'village' ? unit.villageId : null,
          name: d.name,
          status: 'planned',
          quality: false,
          checklist: JSON.stringify(emptyChecklist()),
          version,
          updated_at: recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async StandardItemMet(trx, { data: d, version, recordedAt }) {
      await touch(trx, d.stationId, version, recordedAt)
        .set({ checklist: checklistItem(d.item, { met: true, note: d.note, on: d.metOn }) })
        .execute();
    },
    async StandardItemUnmet(trx, { data: d, version, recordedAt }) {
      await touch(trx, d.stationId, version, recordedAt)
        .set({ checklist: checklistItem(d.item, { met: false, note: d.note }) })
        .execute();
    },
    async StationOpened(trx, { data: d, version, recordedAt }) {
      await touch(trx, d.stationId, version, recordedAt).set({ status: 'operating', opened_on: d.openedOn }).execute();
    },
    async StationRatedQuality(trx, { data: d, version, recordedAt }) {
      await touch(trx, d.stationId, version, recordedAt).set({ quality: true }).execute();
    },
  },
});
