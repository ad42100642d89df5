import { describe, it } from 'vitest';
import { geographyProjection } from '../../src/projections/geography/geography.projection';
import { projectionSpec, RECORDED_AT } from './projection-spec';

const spec = projectionSpec(geographyProjection);
const AT = '2026-01-10T08:00:00.000Z';
const townId = '00000000-0000-4000-8000-000000000001';
const villageId = '00000000-0000-4000-8000-000000000002';
const groupId = '00000000-0000-4000-8000-000000000003';
const worker = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;

const registered = [
  { type: 'TownRegistered', data: { townId, code: 'T01', name: '城关镇', registeredAt: AT } },
  { type: 'VillageRegistered', data: { villageId, townId, kind: 'village', code: 'V01', name: '东村', registeredAt: AT } },
  { type: 'VillagerGroupRegistered', data: { groupId, villageId, code: 'G01', name: '一组', registeredAt: AT } },
] as const;

describe('geography projection', () => {
  it('files a group under its village’s town, and keeps the latest names and status', async () => {
    await spec
      .given([
        ...registered,
        { type: 'TownRenamed', data: { townId, name: '城关街道', previousName: '城关镇', renamedAt: AT } },
        { type: 'VillagerGroupRetired', data: { groupId, retiredAt: AT } },
      ])
      .expectRows(
        (db) =>
          db
            .selectFrom('rm_groups as g')
            .innerJoin('rm_towns as t', 't.id', 'g.town_id')
            .select(['g.id', 'g.status', 'g.version', 't.name as town', 't.version as town_version'])
            .execute(),
        [{ id: groupId, status: 'retired', version: '5', town: '城关街道', town_version: '4' }],
      );
  });

  it('ignores an older event that arrives after a newer one (version guard)', async () => {
    await spec
      .given([
        ...registered,
        { type: 'VillageRenamed', version: 9, data: { villageId, name: '新东村', previousName: '东村', renamedAt: AT } },
        { type: 'VillageRenamed', version: 8, data: { villageId, name: '旧名', previousName: '东村', renamedAt: AT } },
      ])
      .expectRows((db) => db.selectFrom('rm_villages').select(['name', 'version', 'updated_at']).execute(), [{ name: '新东村', version: '9' }]);
  });

  it('ends the previous responsibility when a new worker is assigned, then ends the new one', async () => {
    await spec
      .given([
        ...registered,
        { type: 'GroupResponsibilityAssigned', data: { groupId, workerId: worker(1), from: '2026-01-01', previous: null, assignedAt: AT } },
        {
          type: 'GroupResponsibilityAssigned',
          data: { groupId, workerId: worker(2), from: '2026-03-01', previous: { workerId: worker(1), from: '2026-01-01', to: '2026-02-28' }, assignedAt: AT },
        },
        { type: 'GroupResponsibilityEnded', data: { groupId, workerId: worker(2), from: '2026-03-01', to: '2026-06-30', endedAt: AT } },
      ])
      .expectRows(
        (db) => db.selectFrom('rm_group_responsibilities').select(['worker_id', 'from_date', 'to_date']).orderBy('from_date').execute(),
        [
          { worker_id: worker(1), from_date: '2026-01-01', to_date: '2026-02-28' },
          { worker_id: worker(2), from_date: '2026-03-01', to_date: '2026-06-30' },
        ],
      );
  });

  it('stamps rows with the event’s recording time', async () => {
    await spec
      .given(registered)
      .expectRows(
        (db) => db.selectFrom('rm_towns').select(['code', 'status', 'updated_at']).execute(),
        [{ code: 'T01', status: 'active', updated_at: new Date(RECORDED_AT) }],
      );
  });
});
