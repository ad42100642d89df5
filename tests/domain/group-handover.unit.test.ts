import { describe, expect, it } from 'vitest';
import { villagerGroupDecider } from '../../src/domain/geography/villager-group.decide';
import { villagerGroupStreamId, type VillagerGroupEvent, type VillagerGroupState } from '../../src/domain/geography/villager-group.events';
import { fold } from '../../src/domain/shared/decider';
import { planGroupHandover } from '../../src/domain/workforce/group-handover';
import type { WorkerFacts } from '../../src/domain/workforce/worker-facts';
import { NOW, uuid } from './decider-spec';

const villageId = uuid(10);
const leaving: WorkerFacts = { workerId: uuid(101), level: 'village', status: 'employed' };
const successor: WorkerFacts = { workerId: uuid(102), level: 'village', status: 'employed' };
const other = uuid(103);

function groupState(n: number, responsible: string | null, from = '2025-01-01'): VillagerGroupState {
  const groupId = uuid(n);
  const events: VillagerGroupEvent[] = [
    { type: 'VillagerGroupRegistered', data: { groupId, villageId, code: String(n), name: `第${n}组`, registeredAt: NOW } },
  ];
  if (responsible) events.push({ type: 'GroupResponsibilityAssigned', data: { groupId, workerId: responsible, from, previous: null, assignedAt: NOW } });
  return fold(villagerGroupDecider, events);
}

describe("handing over all of a leaving worker's groups", () => {
  const groups = [groupState(21, leaving.workerId), groupState(22, other), groupState(23, leaving.workerId), groupState(24, null)];
  const handover = { fromWorkerId: leaving.workerId, toWorker: successor, from: '2026-06-01', now: NOW, groups };

  it('given groups of several workers, produces one step per group of the leaving worker, each ending theirs in the same event', () => {
    const steps = planGroupHandover(handover);
    expect(steps.map((s) => s.groupId)).toEqual([uuid(21), uuid(23)]);
    expect(steps[0]).toMatchObject({ streamId: villagerGroupStreamId(uuid(21)), command: { type: 'HandOverGroupResponsibility' } });
    expect(steps[0]!.events).toEqual([
      {
        type: 'GroupResponsibilityAssigned',
        data: {
          groupId: uuid(21),
          workerId: successor.workerId,
          from: '2026-06-01',
          previous: { workerId: leaving.workerId, from: '2025-01-01', to: '2026-06-01' },
          assignedAt: NOW,
        },
      },
    ]);
  });
  it('given the handover already applied, planning it again produces nothing', () => {
    const after = groups.map((g) => {
      const step = planGroupHandover({ ...handover, groups: [g] })[0];
      return step ? step.events.reduce((state, event) => villagerGroupDecider.evolve(state, event), g) : g;
    });
    expect(planGroupHandover({ ...handover, groups: after })).toEqual([]);
  });
  it('given a county worker as successor, the whole handover is refused', () => {
    expect(() => planGroupHandover({ ...handover, toWorker: { ...successor, level: 'county' } })).toThrow(
      expect.objectContaining({ rule: 'group.responsible_level_unfit' }),
    );
  });
  it('given a successor who has left, the whole handover is refused', () => {
    expect(() => planGroupHandover({ ...handover, toWorker: { ...successor, status: 'left' } })).toThrow(
      expect.objectContaining({ rule: 'group.responsible_worker_left' }),
    );
  });
  it('given one group assigned after the handover date, the whole handover is refused', () => {
    const late = [...groups, groupState(25, leaving.workerId, '2026-07-01')];
    expect(() => planGroupHandover({ ...handover, groups: late })).toThrow(expect.objectContaining({ rule: 'group.responsibility_backdated' }));
  });
  it('given the leaving worker as their own successor, the handover is refused', () => {
    expect(() => planGroupHandover({ ...handover, toWorker: leaving })).toThrow(expect.objectContaining({ rule: 'handover.same_worker' }));
  });
});
