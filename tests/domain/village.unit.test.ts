import { describe, it } from 'vitest';
import { villageDecider, type RegisterVillage } from '../../src/domain/geography/village.decide';
import { villageEvents, type VillageEvent } from '../../src/domain/geography/village.events';
import { given, NOW, uuid } from './decider-spec';

const villageId = uuid(10);
const townId = uuid(1);
const register: RegisterVillage = {
  type: 'RegisterVillage',
  data: { villageId, townId, townStatus: 'active', kind: 'community', code: '530626100001', name: '中城社区', now: NOW },
};
const registered: VillageEvent = {
  type: 'VillageRegistered',
  data: { villageId, townId, kind: 'community', code: '530626100001', name: '中城社区', registeredAt: NOW },
};
const retired: VillageEvent = { type: 'VillageRetired', data: { villageId, retiredAt: NOW } };
const village = (history: VillageEvent[]) => given(villageDecider, history, villageEvents);

describe('village or community', () => {
  it('given no village under an active town, registering records its kind, code and parent', () => {
    village([]).when(register).then([registered]);
  });
  it('given a retired parent town, registering a village is refused', () => {
    village([])
      .when({ ...register, data: { ...register.data, townStatus: 'retired' } })
      .thenThrows('village.town_retired');
  });
  it('given a registered village, registering it again is refused', () => {
    village([registered]).when(register).thenThrows('village.already_registered');
  });
  it('given an active village, renaming it records the previous name', () => {
    village([registered])
      .when({ type: 'RenameVillage', data: { villageId, name: '城南社区', now: NOW } })
      .then([{ type: 'VillageRenamed', data: { villageId, name: '城南社区', previousName: '中城社区', renamedAt: NOW } }]);
  });
  it('given an active village with open groups, retiring is refused naming them', () => {
    village([registered])
      .when({ type: 'RetireVillage', data: { villageId, openResponsibilities: [`group:${uuid(20)}`], now: NOW } })
      .thenThrows('village.has_open_responsibilities', { openResponsibilities: [`group:${uuid(20)}`] });
  });
  it('given an active village with nothing open, retiring succeeds; afterwards renaming is refused', () => {
    village([registered])
      .when({ type: 'RetireVillage', data: { villageId, openResponsibilities: [], now: NOW } })
      .then([retired]);
    village([registered, retired])
      .when({ type: 'RenameVillage', data: { villageId, name: 'x', now: NOW } })
      .thenThrows('village.retired');
  });
  it('given no village, renaming is refused', () => {
    village([])
      .when({ type: 'RenameVillage', data: { villageId, name: 'x', now: NOW } })
      .thenThrows('village.not_registered');
  });
});
