import { describe, it } from 'vitest';
import { STANDARD_ITEMS, type StandardItem } from '../../src/domain/stations/standard';
import { stationDecider, type PlanStation } from '../../src/domain/stations/station.decide';
import { stationEvents, type StationEvent } from '../../src/domain/stations/station.events';
import { given, NOW, uuid } from './decider-spec';

const stationId = uuid(30);
const townId = uuid(1);
const villageId = uuid(10);
const planTown: PlanStation = {
  type: 'PlanStation',
  data: { stationId, unit: { kind: 'town', townId }, unitStatus: 'active', name: '中城镇社工站', now: NOW },
};
const townPlanned: StationEvent = {
  type: 'StationPlanned',
  data: { stationId, kind: 'town_station', unit: { kind: 'town', townId }, name: '中城镇社工站', plannedAt: NOW },
};
const pointPlanned: StationEvent = {
  type: 'StationPlanned',
  data: { stationId, kind: 'service_point', unit: { kind: 'village', villageId }, name: '中城社区服务点', plannedAt: NOW },
};
const met = (item: StandardItem, metOn = '2026-02-01'): StationEvent => ({
  type: 'StandardItemMet',
  data: { stationId, item, note: `${item} ok`, metOn, recordedAt: NOW },
});
const allMet = STANDARD_ITEMS.map((item) => met(item));
const opened: StationEvent = { type: 'StationOpened', data: { stationId, openedOn: '2026-02-15', openedAt: NOW } };
const open = { type: 'OpenStation' as const, data: { stationId, openedOn: '2026-02-15', now: NOW } };
const rate = { type: 'RateStationQuality' as const, data: { stationId, ratedOn: '2026-06-01', note: '县级评定', now: NOW } };
const station = (history: StationEvent[]) => given(stationDecider, history, stationEvents);

describe('station planning', () => {
  it('given a town, planning its station makes a planned town station', () => {
    station([]).when(planTown).then([townPlanned]);
  });
  it('given a village, planning its point makes a planned service point', () => {
    station([])
      .when({ type: 'PlanStation', data: { stationId, unit: { kind: 'village', villageId }, unitStatus: 'active', name: '中城社区服务点', now: NOW } })
      .then([pointPlanned]);
  });
  it('given a retired unit, planning a station for it is refused', () => {
    station([])
      .when({ ...planTown, data: { ...planTown.data, unitStatus: 'retired' } })
      .thenThrows('station.unit_retired');
  });
  it('given a planned station, planning it again is refused', () => {
    station([townPlanned]).when(planTown).thenThrows('station.already_planned');
  });
  it('given no station, recording a standard item is refused', () => {
    station([])
      .when({ type: 'RecordStandardItemMet', data: { stationId, item: 'venue', note: '', metOn: '2026-02-01', now: NOW } })
      .thenThrows('station.not_planned');
  });
});

describe('the 六有 checklist', () => {
  it('given a planned station, an item is recorded as met with its note and date', () => {
    station([townPlanned])
      .when({ type: 'RecordStandardItemMet', data: { stationId, item: 'venue', note: 'venue ok', metOn: '2026-02-01', now: NOW } })
      .then([met('venue')]);
  });
  it('given an item met with the same note and date, recording it again changes nothing', () => {
    station([townPlanned, met('venue')])
      .when({ type: 'RecordStandardItemMet', data: { stationId, item: 'venue', note: 'venue ok', metOn: '2026-02-01', now: NOW } })
      .then([]);
  });
  it('given a met item, it can be recorded unmet again', () => {
    station([townPlanned, met('rules')])
      .when({ type: 'RecordStandardItemUnmet', data: { stationId, item: 'rules', note: '制度未上墙', now: NOW } })
      .then([{ type: 'StandardItemUnmet', data: { stationId, item: 'rules', note: '制度未上墙', recordedAt: NOW } }]);
  });
  it('given an unmet item, recording it unmet changes nothing', () => {
    station([townPlanned])
      .when({ type: 'RecordStandardItemUnmet', data: { stationId, item: 'rules', note: '', now: NOW } })
      .then([]);
  });
});

describe('opening a station', () => {
  it('given a planned station with nothing met, opening is refused listing all six items', () => {
    station([townPlanned])
      .when(open)
      .thenThrows('station.standard_unmet', { unmetItems: [...STANDARD_ITEMS] });
  });
  it('given five items met, opening is refused listing the one unmet item', () => {
    station([townPlanned, ...STANDARD_ITEMS.filter((item) => item !== 'workflows').map((item) => met(item))])
      .when(open)
      .thenThrows('station.standard_unmet', { unmetItems: ['workflows'] });
  });
  it('given all six met but one recorded unmet again, opening is refused', () => {
    const unmet: StationEvent = { type: 'StandardItemUnmet', data: { stationId, item: 'staff', note: '', recordedAt: NOW } };
    station([townPlanned, ...allMet, unmet])
      .when(open)
      .thenThrows('station.standard_unmet', { unmetItems: ['staff'] });
  });
  it('given all six items met, the station opens', () => {
    station([townPlanned, ...allMet])
      .when(open)
      .then([opened]);
  });
  it('given an operating station, opening it again is refused', () => {
    station([townPlanned, ...allMet, opened])
      .when(open)
      .thenThrows('station.already_operating');
  });
});

describe('rating a station 优质', () => {
  it('given an operating town station meeting the standard, it is rated quality', () => {
    station([townPlanned, ...allMet, opened])
      .when(rate)
      .then([{ type: 'StationRatedQuality', data: { stationId, ratedOn: '2026-06-01', note: '县级评定', ratedAt: NOW } }]);
  });
  it('given a planned town station, rating is refused', () => {
    station([townPlanned, ...allMet])
      .when(rate)
      .thenThrows('station.not_operating');
  });
  it('given an operating service point, rating is refused: only town stations', () => {
    station([pointPlanned, ...allMet, opened])
      .when(rate)
      .thenThrows('station.quality_town_only');
  });
  it('given an operating town station that slipped below the standard, rating is refused', () => {
    const unmet: StationEvent = { type: 'StandardItemUnmet', data: { stationId, item: 'equipment', note: '', recordedAt: NOW } };
    station([townPlanned, ...allMet, opened, unmet])
      .when(rate)
      .thenThrows('station.standard_unmet', { unmetItems: ['equipment'] });
  });
});
