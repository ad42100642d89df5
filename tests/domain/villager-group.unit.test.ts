import { describe, it } from 'vitest';
import { villagerGroupDecider, type AssignGroupResponsibility, type RegisterVillagerGroup } from '../../src/domain/geography/villager-group.decide';
import { villagerGroupEvents, type VillagerGroupEvent } from '../../src/domain/geography/villager-group.events';
import type { WorkerFacts } from '../../src/domain/workforce/worker-facts';
import { given, NOW, uuid } from './decider-spec';

const groupId = uuid(20);
const villageId = uuid(10);
const wang: WorkerFacts = { workerId: uuid(101), level: 'village', status: 'employed' };
const li: WorkerFacts = { workerId: uuid(102), level: 'village', status: 'employed' };
const zhao: WorkerFacts = { workerId: uuid(103), level: 'town', status: 'employed' };
const countyWorker: WorkerFacts = { workerId: uuid(104), level: 'county', status: 'employed' };

const register: RegisterVillagerGroup = {
  type: 'RegisterVillagerGroup',
  data: { groupId, villageId, villageStatus: 'active', code: '01', name: '第一村民小组', now: NOW },
};
const registered: VillagerGroupEvent = { type: 'VillagerGroupRegistered', data: { groupId, villageId, code: '01', name: '第一村民小组', registeredAt: NOW } };
const wangFromJan: VillagerGroupEvent = {
  type: 'GroupResponsibilityAssigned',
  data: { groupId, workerId: wang.workerId, from: '2026-01-01', previous: null, assignedAt: NOW },
};
const retired: VillagerGroupEvent = { type: 'VillagerGroupRetired', data: { groupId, retiredAt: NOW } };
const assign = (worker: WorkerFacts, from: string): AssignGroupResponsibility => ({
  type: 'AssignGroupResponsibility',
  data: { groupId, worker, from, now: NOW },
});
const group = (history: VillagerGroupEvent[]) => given(villagerGroupDecider, history, villagerGroupEvents);

describe('villager group (grid cell)', () => {
  it('given no group under an active village, registering it starts with no responsible worker', () => {
    group([]).when(register).then([registered]);
  });
  it('given a retired village, registering a group is refused', () => {
    group([])
      .when({ ...register, data: { ...register.data, villageStatus: 'retired' } })
      .thenThrows('group.village_retired');
  });
  it('given a registered group, registering it again is refused', () => {
    group([registered]).when(register).thenThrows('group.already_registered');
  });
  it('given an active group, renaming it records the previous name', () => {
    group([registered])
      .when({ type: 'RenameVillagerGroup', data: { groupId, name: '大坪组', now: NOW } })
      .then([{ type: 'VillagerGroupRenamed', data: { groupId, name: '大坪组', previousName: '第一村民小组', renamedAt: NOW } }]);
  });
  it('given a group with a responsible worker, retiring is refused', () => {
    group([registered, wangFromJan])
      .when({ type: 'RetireVillagerGroup', data: { groupId, openResponsibilities: [], now: NOW } })
      .thenThrows('group.has_responsible_worker', { workerId: wang.workerId });
  });
  it('given a group with other open responsibilities, retiring is refused naming them', () => {
    group([registered])
      .when({ type: 'RetireVillagerGroup', data: { groupId, openResponsibilities: [`household:${uuid(900)}`], now: NOW } })
      .thenThrows('group.has_open_responsibilities');
  });
  it('given a group with nothing open, retiring succeeds; afterwards assignments are refused', () => {
    group([registered])
      .when({ type: 'RetireVillagerGroup', data: { groupId, openResponsibilities: [], now: NOW } })
      .then([retired]);
    group([registered, retired]).when(assign(wang, '2026-02-01')).thenThrows('group.retired');
  });
});

describe('responsible worker for a group (包保): exactly one at any time', () => {
  it('given a group with none, assigning a village worker starts the first responsibility', () => {
    group([registered]).when(assign(wang, '2026-01-01')).then([wangFromJan]);
  });
  it('given a group with none, a town worker may be responsible too', () => {
    group([registered])
      .when(assign(zhao, '2026-01-01'))
      .then([{ type: 'GroupResponsibilityAssigned', data: { groupId, workerId: zhao.workerId, from: '2026-01-01', previous: null, assignedAt: NOW } }]);
  });
  it('given a responsible worker, assigning another ends the previous one in the same event', () => {
    group([registered, wangFromJan])
      .when(assign(li, '2026-03-01'))
      .then([
        {
          type: 'GroupResponsibilityAssigned',
          data: {
            groupId,
            workerId: li.workerId,
            from: '2026-03-01',
            previous: { workerId: wang.workerId, from: '2026-01-01', to: '2026-03-01' },
            assignedAt: NOW,
          },
        },
      ]);
  });
  it('given a responsible worker, assigning the same worker again changes nothing', () => {
    group([registered, wangFromJan]).when(assign(wang, '2026-03-01')).then([]);
  });
  it('given any group, a county worker is never made responsible', () => {
    group([registered]).when(assign(countyWorker, '2026-01-01')).thenThrows('group.responsible_level_unfit', { level: 'county' });
  });
  it('given any group, a worker who has left cannot be made responsible', () => {
    group([registered])
      .when(assign({ ...li, status: 'left' }, '2026-01-01'))
      .thenThrows('group.responsible_worker_left');
  });
  it('given a responsible worker since January, a new assignment dated before that is refused', () => {
    group([registered, wangFromJan]).when(assign(li, '2025-12-31')).thenThrows('group.responsibility_backdated', { currentFrom: '2026-01-01' });
  });
  it('given a responsible worker, ending the responsibility leaves the group without one', () => {
    group([registered, wangFromJan])
      .when({ type: 'EndGroupResponsibility', data: { groupId, to: '2026-02-01', now: NOW } })
      .then([{ type: 'GroupResponsibilityEnded', data: { groupId, workerId: wang.workerId, from: '2026-01-01', to: '2026-02-01', endedAt: NOW } }]);
  });
  it('given a responsible worker since January, ending it before January is refused', () => {
    group([registered, wangFromJan])
      .when({ type: 'EndGroupResponsibility', data: { groupId, to: '2025-12-01', now: NOW } })
      .thenThrows('assignment.period_invalid');
  });
  it('given no responsible worker, ending a responsibility is refused', () => {
    group([registered])
      .when({ type: 'EndGroupResponsibility', data: { groupId, to: '2026-02-01', now: NOW } })
      .thenThrows('group.no_responsible_worker');
  });
  it('given an ended responsibility, the group can be retired', () => {
    const ended: VillagerGroupEvent = {
      type: 'GroupResponsibilityEnded',
      data: { groupId, workerId: wang.workerId, from: '2026-01-01', to: '2026-02-01', endedAt: NOW },
    };
    group([registered, wangFromJan, ended])
      .when({ type: 'RetireVillagerGroup', data: { groupId, openResponsibilities: [], now: NOW } })
      .then([retired]);
  });
});

describe('handing over one group from a named worker', () => {
  const handOver = (fromWorkerId: string) => ({
    type: 'HandOverGroupResponsibility' as const,
    data: { groupId, fromWorkerId, toWorker: li, from: '2026-03-01', now: NOW },
  });
  it('given the named worker is responsible, hands over and ends theirs', () => {
    group([registered, wangFromJan])
      .when(handOver(wang.workerId))
      .then([
        {
          type: 'GroupResponsibilityAssigned',
          data: {
            groupId,
            workerId: li.workerId,
            from: '2026-03-01',
            previous: { workerId: wang.workerId, from: '2026-01-01', to: '2026-03-01' },
            assignedAt: NOW,
          },
        },
      ]);
  });
  it('given someone else is responsible meanwhile, does nothing', () => {
    group([registered, wangFromJan]).when(handOver(zhao.workerId)).then([]);
  });
});
