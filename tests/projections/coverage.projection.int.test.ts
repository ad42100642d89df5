import { describe, it } from 'vitest';
import { coverageProjection } from '../../src/projections/coverage/coverage.projection';
import type { VisitEvent } from '../../src/domain/visits/visit';
import type { Db } from '../../src/storage/database';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(coverageProjection);
const AT = '2026-01-10T08:00:00.000Z';
const townId = '00000000-0000-4000-8000-000000000001';
const villageId = '00000000-0000-4000-8000-000000000002';
const groupId = '00000000-0000-4000-8000-000000000003';
const workerA = '00000000-0000-4000-8000-0000000000a1';
const workerB = '00000000-0000-4000-8000-0000000000b1';
const household = '00000000-0000-4000-8000-0000000000c1';

const place = [
  { type: 'TownRegistered', data: { townId, code: '530626100', name: '中城镇', registeredAt: AT } },
  { type: 'VillageRegistered', data: { villageId, townId, code: '530626100201', name: '回望村', kind: 'village', registeredAt: AT } },
  { type: 'VillagerGroupRegistered', data: { groupId, villageId, code: '530626100201001', name: '一组', registeredAt: AT } },
] as const;

const visit = (visitId: string, date: string, householdId: string | null, peopleServed: number): VisitEvent => ({
  type: 'VisitRecorded',
  data: {
    visitId,
    workerId: workerA,
    householdId,
    groupId,
    date,
    kind: 'routine',
    findings: '正常',
    followUpActions: [],
    peopleServed,
    late: false,
    policyVersion: 1,
    recordedAt: AT,
  },
});

const places = (db: Db) => db.selectFrom('rm_coverage_places').select(['id', 'kind', 'town_id', 'village_id', 'name', 'active']).orderBy('code').execute();
const periods = (db: Db) =>
  db.selectFrom('rm_coverage_periods').select(['id', 'kind', 'worker_id', 'target_id', 'from_date', 'to_date']).orderBy('id').execute();
const months = (db: Db) =>
  db.selectFrom('rm_coverage_group_months').select(['month', 'group_id', 'visits', 'households', 'people_served']).orderBy('month').execute();

describe('coverage projection', () => {
  it('files a group under its village’s town and keeps renames and retirements', async () => {
    await spec
      .given([
        ...place,
        { type: 'VillagerGroupRenamed', data: { groupId, name: '新一组', previousName: '一组', renamedAt: AT } },
        { type: 'VillageRetired', data: { villageId, retiredAt: AT } },
      ])
      .expectRows(places, [
        { id: townId, kind: 'town', town_id: townId, village_id: null, active: true },
        { id: villageId, kind: 'village', town_id: townId, active: false },
        { id: groupId, kind: 'group', town_id: townId, village_id: villageId, name: '新一组', active: true },
      ]);
  });

  it('keeps every dated responsibility: a handover ends the previous one on its last day', async () => {
    await spec
      .given([
        ...place,
        { type: 'GroupResponsibilityAssigned', data: { groupId, workerId: workerA, from: '2026-01-01', previous: null, assignedAt: AT } },
        {
          type: 'GroupResponsibilityAssigned',
          data: { groupId, workerId: workerB, from: '2026-03-01', previous: { workerId: workerA, from: '2026-01-01', to: '2026-03-01' }, assignedAt: AT },
        },
      ])
      .expectRows(periods, [
        { kind: 'responsibility', worker_id: workerA, target_id: groupId, from_date: '2026-01-01', to_date: '2026-03-01' },
        { kind: 'responsibility', worker_id: workerB, target_id: groupId, from_date: '2026-03-01', to_date: null },
      ]);
  });

  it('counts visits per group and month, each household once, and a redelivered visit not at all', async () => {
    await spec
      .given([
        ...place,
        visit('00000000-0000-4000-8000-0000000000d1', '2026-01-31', household, 2),
        visit('00000000-0000-4000-8000-0000000000d2', '2026-01-31', household, 1),
        visit('00000000-0000-4000-8000-0000000000d3', '2026-01-20', null, 5),
        visit('00000000-0000-4000-8000-0000000000d4', '2026-02-01', household, 1),
      ])
      .expectRows(months, [
        { month: '2026-01', group_id: groupId, visits: 3, households: 1, people_served: 8 },
        { month: '2026-02', group_id: groupId, visits: 1, households: 1, people_served: 1 },
      ]);
  });
});
