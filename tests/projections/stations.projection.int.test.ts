import { describe, it } from 'vitest';
import { stationsProjection } from '../../src/projections/stations/stations.projection';
import type { Db } from '../../src/storage/database';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(stationsProjection);
const AT = '2026-01-10T08:00:00.000Z';
const stationId = '00000000-0000-4000-8000-000000000010';
const townId = '00000000-0000-4000-8000-000000000001';

const planned = {
  type: 'StationPlanned',
  data: { stationId, kind: 'town_station', unit: { kind: 'town', townId }, name: '城关镇社工站', plannedAt: AT },
} as const;
const stations = (db: Db) =>
  db.selectFrom('rm_stations').select(['id', 'town_id', 'village_id', 'status', 'quality', 'checklist', 'opened_on', 'version']).execute();

describe('stations projection', () => {
  it('plans a station with every item of the checklist unmet', async () => {
    await spec.given([planned]).expectRows(stations, [
      {
        id: stationId,
        town_id: townId,
        village_id: null,
        status: 'planned',
        quality: false,
        checklist: {
          venue: { met: false },
          equipment: { met: false },
          staff: { met: false },
          service_functions: { met: false },
          workflows: { met: false },
          rules: { met: false },
        },
      },
    ]);
  });

  it('marks items met and unmet in place, opens and rates the station', async () => {
    await spec
      .given([
        planned,
        { type: 'StandardItemMet', data: { stationId, item: 'venue', note: '200㎡', metOn: '2026-01-05', recordedAt: AT } },
        { type: 'StandardItemMet', data: { stationId, item: 'staff', note: '3人', metOn: '2026-01-06', recordedAt: AT } },
        { type: 'StandardItemUnmet', data: { stationId, item: 'staff', note: '离职', recordedAt: AT } },
        { type: 'StationOpened', data: { stationId, openedOn: '2026-02-01', openedAt: AT } },
        { type: 'StationRatedQuality', data: { stationId, ratedOn: '2026-03-01', note: '', ratedAt: AT } },
      ])
      .expectRows(stations, [
        {
          status: 'operating',
          quality: true,
          opened_on: '2026-02-01',
          version: '6',
          checklist: { venue: { met: true, note: '200㎡', on: '2026-01-05' }, staff: { met: false, note: '离职' }, rules: { met: false } },
        },
      ]);
  });
});
