import { describe, it } from 'vitest';
import { workerDecider, type RegisterWorker } from '../../src/domain/workforce/worker.decide';
import { workerEvents, type WorkerEvent } from '../../src/domain/workforce/worker.events';
import type { WorkerFacts } from '../../src/domain/workforce/worker-facts';
import { given, NOW, uuid } from './decider-spec';

const workerId = uuid(100);
const townA = uuid(1);
const townB = uuid(2);
const villageId = uuid(10);
const villageWorker: WorkerFacts = { workerId: uuid(101), level: 'village', status: 'employed' };
const NATIONAL_ID = '11010519491231002X';

const registerAs = (level: 'county' | 'town' | 'village'): RegisterWorker => ({
  type: 'RegisterWorker',
  data: { workerId, name: '张小三', level, phone: '13800001234', nationalId: NATIONAL_ID, hiredOn: '2024-01-01', now: NOW },
});
const registeredAs = (level: 'county' | 'town' | 'village'): WorkerEvent => ({
  type: 'WorkerRegistered',
  data: { workerId, name: '张小三', level, phone: '13800001234', nationalId: NATIONAL_ID, hiredOn: '2024-01-01', registeredAt: NOW },
});
const county = registeredAs('county');
const town = registeredAs('town');
const village = registeredAs('village');
const left: WorkerEvent = { type: 'WorkerLeft', data: { workerId, leftOn: '2026-06-01', recordedAt: NOW } };
const linkedA: WorkerEvent = { type: 'TownLinked', data: { workerId, townId: townA, from: '2026-01-01', to: null, linkedAt: NOW } };
const linkedVillageWorker: WorkerEvent = {
  type: 'VillageWorkerLinked',
  data: { workerId, villageWorkerId: villageWorker.workerId, from: '2026-01-01', to: null, linkedAt: NOW },
};
const worker = (history: WorkerEvent[]) => given(workerDecider, history, workerEvents);

describe('registering a worker', () => {
  it('given no worker, registering with a valid national ID records it', () => {
    worker([]).when(registerAs('village')).then([village]);
  });
  it('given no worker, a lower-case x in the national ID is stored upper-case', () => {
    worker([])
      .when({ ...registerAs('village'), data: { ...registerAs('village').data, nationalId: '11010519491231002x' } })
      .then([village]);
  });
  it('given no worker, a national ID with a wrong check digit is refused', () => {
    worker([])
      .when({ ...registerAs('village'), data: { ...registerAs('village').data, nationalId: '110105194912310021' } })
      .thenThrows('worker.national_id_invalid');
  });
  it('given no worker, a malformed phone is refused', () => {
    worker([])
      .when({ ...registerAs('village'), data: { ...registerAs('village').data, phone: '12345' } })
      .thenThrows('worker.phone_invalid');
  });
  it('given a registered worker, registering again is refused', () => {
    worker([village]).when(registerAs('village')).thenThrows('worker.already_registered');
  });
});

describe('posting a worker to their town or village', () => {
  it('given a town worker, posting to a town records it', () => {
    worker([town])
      .when({ type: 'PostWorker', data: { workerId, unit: { kind: 'town', townId: townA }, unitStatus: 'active', from: '2024-01-01', now: NOW } })
      .then([{ type: 'WorkerPosted', data: { workerId, unit: { kind: 'town', townId: townA }, from: '2024-01-01', previous: null, postedAt: NOW } }]);
  });
  it('given a town worker posted to town A, a transfer to town B ends the previous posting in the same event', () => {
    const posted: WorkerEvent = {
      type: 'WorkerPosted',
      data: { workerId, unit: { kind: 'town', townId: townA }, from: '2024-01-01', previous: null, postedAt: NOW },
    };
    worker([town, posted])
      .when({ type: 'PostWorker', data: { workerId, unit: { kind: 'town', townId: townB }, unitStatus: 'active', from: '2026-01-01', now: NOW } })
      .then([
        {
          type: 'WorkerPosted',
          data: {
            workerId,
            unit: { kind: 'town', townId: townB },
            from: '2026-01-01',
            previous: { unit: { kind: 'town', townId: townA }, from: '2024-01-01', to: '2026-01-01' },
            postedAt: NOW,
          },
        },
      ]);
    worker([town, posted])
      .when({ type: 'PostWorker', data: { workerId, unit: { kind: 'town', townId: townB }, unitStatus: 'active', from: '2023-01-01', now: NOW } })
      .thenThrows('worker.posting_backdated');
    worker([town, posted])
      .when({ type: 'PostWorker', data: { workerId, unit: { kind: 'town', townId: townA }, unitStatus: 'active', from: '2026-01-01', now: NOW } })
      .then([]);
  });
  it('given a county worker or a village worker posted to a town, the level does not fit', () => {
    worker([county])
      .when({ type: 'PostWorker', data: { workerId, unit: { kind: 'town', townId: townA }, unitStatus: 'active', from: '2024-01-01', now: NOW } })
      .thenThrows('worker.posting_level_unfit');
    worker([village])
      .when({ type: 'PostWorker', data: { workerId, unit: { kind: 'town', townId: townA }, unitStatus: 'active', from: '2024-01-01', now: NOW } })
      .thenThrows('worker.posting_level_unfit');
  });
  it('given a village worker, posting to a retired village is refused', () => {
    worker([village])
      .when({ type: 'PostWorker', data: { workerId, unit: { kind: 'village', villageId }, unitStatus: 'retired', from: '2024-01-01', now: NOW } })
      .thenThrows('worker.posting_unit_retired');
  });
});

describe('a county worker links towns (挂联)', () => {
  const link = (townId: string, from: string, to: string | null = null) => ({
    type: 'LinkTown' as const,
    data: { workerId, townId, townStatus: 'active' as const, from, to, now: NOW },
  });
  it('given a county worker, linking a town records the dated link', () => {
    worker([county]).when(link(townA, '2026-01-01')).then([linkedA]);
  });
  it('given a county worker linked to town A, linking town B too is fine', () => {
    worker([county, linkedA])
      .when(link(townB, '2026-01-01', '2026-12-31'))
      .then([{ type: 'TownLinked', data: { workerId, townId: townB, from: '2026-01-01', to: '2026-12-31', linkedAt: NOW } }]);
  });
  it('given an open link to town A, linking town A again for an overlapping period is refused', () => {
    worker([county, linkedA]).when(link(townA, '2026-05-01')).thenThrows('worker.town_already_linked');
  });
  it('given a link to town A that ended, linking town A again afterwards is fine', () => {
    const ended: WorkerEvent = { type: 'TownLinkEnded', data: { workerId, townId: townA, from: '2026-01-01', to: '2026-03-01', endedAt: NOW } };
    worker([county, linkedA, ended])
      .when(link(townA, '2026-03-01'))
      .then([{ type: 'TownLinked', data: { workerId, townId: townA, from: '2026-03-01', to: null, linkedAt: NOW } }]);
  });
  it('given a town or village worker, linking a town is refused: the level does not fit', () => {
    worker([town]).when(link(townA, '2026-01-01')).thenThrows('worker.town_link_level_unfit');
    worker([village]).when(link(townA, '2026-01-01')).thenThrows('worker.town_link_level_unfit');
  });
  it('given a county worker, a link ending before it starts is refused', () => {
    worker([county])
      .when(link(townA, '2026-01-01', '2025-01-01'))
      .thenThrows('assignment.period_invalid');
  });
  it('given a retired town, linking it is refused', () => {
    worker([county])
      .when({ ...link(townA, '2026-01-01'), data: { ...link(townA, '2026-01-01').data, townStatus: 'retired' } })
      .thenThrows('worker.town_retired');
  });
  it('given an open link, ending it records the end date', () => {
    worker([county, linkedA])
      .when({ type: 'EndTownLink', data: { workerId, townId: townA, to: '2026-03-01', now: NOW } })
      .then([{ type: 'TownLinkEnded', data: { workerId, townId: townA, from: '2026-01-01', to: '2026-03-01', endedAt: NOW } }]);
  });
  it('given no link running at the end date, ending is refused', () => {
    worker([county, linkedA])
      .when({ type: 'EndTownLink', data: { workerId, townId: townB, to: '2026-03-01', now: NOW } })
      .thenThrows('worker.town_link_not_found');
    worker([county, linkedA])
      .when({ type: 'EndTownLink', data: { workerId, townId: townA, to: '2025-12-01', now: NOW } })
      .thenThrows('worker.town_link_not_found');
  });
});

describe('a town worker links village workers', () => {
  const link = (target: WorkerFacts, from = '2026-01-01') => ({
    type: 'LinkVillageWorker' as const,
    data: { workerId, villageWorker: target, from, to: null, now: NOW },
  });
  it('given a town worker, linking an employed village worker records it', () => {
    worker([town]).when(link(villageWorker)).then([linkedVillageWorker]);
  });
  it('given a county or village worker, linking village workers is refused', () => {
    worker([county]).when(link(villageWorker)).thenThrows('worker.village_link_level_unfit');
    worker([village]).when(link(villageWorker)).thenThrows('worker.village_link_level_unfit');
  });
  it('given a town worker, linking someone who is not a village worker is refused', () => {
    worker([town])
      .when(link({ ...villageWorker, level: 'town' }))
      .thenThrows('worker.linked_worker_level_unfit');
  });
  it('given a town worker, linking a village worker who left is refused', () => {
    worker([town])
      .when(link({ ...villageWorker, status: 'left' }))
      .thenThrows('worker.linked_worker_left');
  });
  it('given an open link to that village worker, an overlapping link is refused', () => {
    worker([town, linkedVillageWorker]).when(link(villageWorker, '2026-02-01')).thenThrows('worker.village_worker_already_linked');
  });
  it('given an open link, ending it records the end date; with none, ending is refused', () => {
    worker([town, linkedVillageWorker])
      .when({ type: 'EndVillageWorkerLink', data: { workerId, villageWorkerId: villageWorker.workerId, to: '2026-04-01', now: NOW } })
      .then([
        { type: 'VillageWorkerLinkEnded', data: { workerId, villageWorkerId: villageWorker.workerId, from: '2026-01-01', to: '2026-04-01', endedAt: NOW } },
      ]);
    worker([town])
      .when({ type: 'EndVillageWorkerLink', data: { workerId, villageWorkerId: villageWorker.workerId, to: '2026-04-01', now: NOW } })
      .thenThrows('worker.village_worker_link_not_found');
  });
});

describe('certifications', () => {
  const certify = (certificateNumber: string, level: 'assistant' | 'social_worker' | 'senior' = 'assistant') => ({
    type: 'RecordCertification' as const,
    data: { workerId, level, certificateNumber, certifiedOn: '2025-06-01', now: NOW },
  });
  const certified: WorkerEvent = {
    type: 'CertificationRecorded',
    data: { workerId, level: 'assistant', certificateNumber: 'Z2025-001', certifiedOn: '2025-06-01', recordedAt: NOW },
  };
  it('given an employed worker, a certification is recorded', () => {
    worker([village]).when(certify('Z2025-001')).then([certified]);
  });
  it('given the same certificate already recorded, recording it again changes nothing', () => {
    worker([village, certified]).when(certify('Z2025-001')).then([]);
  });
  it('given the certificate number recorded with other details, recording it is refused', () => {
    worker([village, certified]).when(certify('Z2025-001', 'senior')).thenThrows('worker.certificate_conflict');
  });
});

describe('leaving (end of employment)', () => {
  const leave = (leftOn: string, responsibleForGroupIds: string[] = []) => ({
    type: 'LeaveEmployment' as const,
    data: { workerId, leftOn, responsibleForGroupIds, now: NOW },
  });
  it('given an employed worker with no groups, leaving is recorded', () => {
    worker([village]).when(leave('2026-06-01')).then([left]);
  });
  it('given a worker still responsible for groups, leaving is refused naming them', () => {
    worker([village])
      .when(leave('2026-06-01', [uuid(20)]))
      .thenThrows('worker.has_open_responsibilities', { groupIds: [uuid(20)] });
  });
  it('given a leave date before the hire date, leaving is refused', () => {
    worker([village]).when(leave('2023-12-31')).thenThrows('worker.left_before_hired');
  });
  it('given a county worker with open and ended links, leaving ends the open ones explicitly first', () => {
    const linkedB: WorkerEvent = { type: 'TownLinked', data: { workerId, townId: townB, from: '2025-01-01', to: '2025-12-31', linkedAt: NOW } };
    worker([county, linkedA, linkedB])
      .when(leave('2026-06-01'))
      .then([{ type: 'TownLinkEnded', data: { workerId, townId: townA, from: '2026-01-01', to: '2026-06-01', endedAt: NOW } }, left]);
  });
  it('given a town worker with a link to a village worker, leaving ends it', () => {
    worker([town, linkedVillageWorker])
      .when(leave('2026-06-01'))
      .then([
        { type: 'VillageWorkerLinkEnded', data: { workerId, villageWorkerId: villageWorker.workerId, from: '2026-01-01', to: '2026-06-01', endedAt: NOW } },
        left,
      ]);
  });
  it('given a worker who left, no further action is accepted', () => {
    worker([county, left])
      .when({ type: 'LinkTown', data: { workerId, townId: townA, townStatus: 'active', from: '2026-07-01', to: null, now: NOW } })
      .thenThrows('worker.left');
    worker([village, left])
      .when({ type: 'RecordCertification', data: { workerId, level: 'assistant', certificateNumber: 'x', certifiedOn: '2026-01-01', now: NOW } })
      .thenThrows('worker.left');
    worker([village, left]).when(leave('2026-07-01')).thenThrows('worker.left');
  });
  it('given no worker, any action is refused', () => {
    worker([]).when(leave('2026-06-01')).thenThrows('worker.not_registered');
  });
});
