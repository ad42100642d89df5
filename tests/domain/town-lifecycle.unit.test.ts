import { describe, it } from 'vitest';
import { townDecider } from '../../src/domain/geography/town.decide';
import { townEvents, type TownEvent } from '../../src/domain/geography/town.events';
import { given, NOW, uuid } from './decider-spec';

const townId = uuid(1);
const registered: TownEvent = { type: 'TownRegistered', data: { townId, code: '530626100', name: '会议镇', registeredAt: NOW } };
const renamed: TownEvent = { type: 'TownRenamed', data: { townId, name: '会仪镇', previousName: '会议镇', renamedAt: NOW } };
const retired: TownEvent = { type: 'TownRetired', data: { townId, retiredAt: NOW } };
const town = (history: TownEvent[]) => given(townDecider, history, townEvents);

describe('town lifecycle', () => {
  it('given an active town, renaming it records old and new name', () => {
    town([registered])
      .when({ type: 'RenameTown', data: { townId, name: '会仪镇', now: NOW } })
      .then([renamed]);
  });
  it('given an active town, renaming it to its current name changes nothing', () => {
    town([registered, renamed])
      .when({ type: 'RenameTown', data: { townId, name: '会仪镇', now: NOW } })
      .then([]);
  });
  it('given no town, renaming is refused', () => {
    town([])
      .when({ type: 'RenameTown', data: { townId, name: '会仪镇', now: NOW } })
      .thenThrows('town.not_registered');
  });
  it('given an active town with nothing depending on it, retiring it succeeds', () => {
    town([registered])
      .when({ type: 'RetireTown', data: { townId, openResponsibilities: [], now: NOW } })
      .then([retired]);
  });
  it('given a town with open responsibilities, retiring is refused naming them', () => {
    const open = [`village:${uuid(2)}`, `station:${uuid(3)}`];
    town([registered])
      .when({ type: 'RetireTown', data: { townId, openResponsibilities: open, now: NOW } })
      .thenThrows('town.has_open_responsibilities', { openResponsibilities: open });
  });
  it('given a retired town, renaming or retiring again is refused', () => {
    town([registered, retired])
      .when({ type: 'RenameTown', data: { townId, name: 'x', now: NOW } })
      .thenThrows('town.retired');
    town([registered, retired])
      .when({ type: 'RetireTown', data: { townId, openResponsibilities: [], now: NOW } })
      .thenThrows('town.retired');
  });
  it('given a retired town, registering it again is refused', () => {
    town([registered, retired])
      .when({ type: 'RegisterTown', data: { townId, code: '530626100', name: '会仪镇', now: NOW } })
      .thenThrows('town.already_registered');
  });
});
