import type { Decider } from '../shared/decider';
import { assertNever } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { assertPeriod } from '../workforce/period';
import type { WorkerFacts } from '../workforce/worker-facts';
import { refuseRetirementWhileOpen } from './retirement';
import {
  evolveVillagerGroup,
  initialVillagerGroupState,
  type RegisteredVillagerGroup,
  type VillagerGroupEvent,
  type VillagerGroupState,
} from './villager-group.events';

// ── Commands ─────────────────────────────────────────────────────────────────
/** `villageStatus`: the parent village's state, looked up by the application. */
export type RegisterVillagerGroup = {
  type: 'RegisterVillagerGroup';
  data: { groupId: string; villageId: string; villageStatus: 'active' | 'retired'; code: string; name: string; now: string };
};

export type RenameVillagerGroup = {
  type: 'RenameVillagerGroup';
  data: { groupId: string; name: string; now: string };
};

/** `openResponsibilities`: e.g. households still registered in the group (later issues). */
export type RetireVillagerGroup = {
  type: 'RetireVillagerGroup';
  data: { groupId: string; openResponsibilities: string[]; now: string };
};

/** `worker`: the new responsible worker's level and employment, looked up by the application. */
export type AssignGroupResponsibility = {
  type: 'AssignGroupResponsibility';
  data: { groupId: string; worker: WorkerFacts; from: string; now: string };
};

/**
 * Hand over from one named worker: a no-op when that worker is no longer responsible (already
 * handed over, or changed meanwhile), so a re-run or a retry on fresh state never takes the
 * group from someone else. Used by planGroupHandover (workforce/group-handover.ts).
 */
export type HandOverGroupResponsibility = {
  type: 'HandOverGroupResponsibility';
  data: { groupId: string; fromWorkerId: string; toWorker: WorkerFacts; from: string; now: string };
};

export type EndGroupResponsibility = {
  type: 'EndGroupResponsibility';
  data: { groupId: string; to: string; now: string };
};

export type VillagerGroupCommand =
  RegisterVillagerGroup | RenameVillagerGroup | RetireVillagerGroup | AssignGroupResponsibility | HandOverGroupResponsibility | EndGroupResponsibility;

function requireActive(state: VillagerGroupState): RegisteredVillagerGroup {
  if (state.status === 'unregistered') throw new IllegalStateError('group.not_registered', 'the villager group is not registered', state.status, ['active']);
  if (state.status === 'retired') throw new IllegalStateError('group.retired', `villager group ${state.code} is retired`, state.status, ['active']);
  return state;
}

/** Who may be 包保 for a grid cell: village workers, or town workers covering it themselves. */
function assertCanBeResponsible(worker: WorkerFacts): void {
  if (worker.level === 'county') {
    throw new DomainRuleViolation('group.responsible_level_unfit', 'a county worker oversees towns and is never responsible for a villager group', {
      workerId: worker.workerId,
      level: worker.level,
    });
  }
  if (worker.status !== 'employed') {
    throw new DomainRuleViolation('group.responsible_worker_left', `worker ${worker.workerId} has left and cannot be made responsible`, {
      workerId: worker.workerId,
    });
  }
}

function assign(group: RegisteredVillagerGroup, data: Pick<AssignGroupResponsibility['data'], 'worker' | 'from' | 'now'>): VillagerGroupEvent[] {
  const current = group.responsible;
  // Same worker again: nothing changes, so seeding and imports can be re-run.
  if (current?.workerId === data.worker.workerId) return [];
  assertCanBeResponsible(data.worker);
  if (current && data.from < current.from) {
    // Going back before the current assignment began would rewrite who was responsible then.
    throw new DomainRuleViolation('group.responsibility_backdated', `the new assignment (${data.from}) cannot start before the current one (${current.from})`, {
      groupId: group.groupId,
      currentWorkerId: current.workerId,
      currentFrom: current.from,
      from: data.from,
    });
  }
  const previous = current ? { workerId: current.workerId, from: current.from, to: data.from } : null;
  return [
    { type: 'GroupResponsibilityAssigned', data: { groupId: group.groupId, workerId: data.worker.workerId, from: data.from, previous, assignedAt: data.now } },
  ];
}

export function decideVillagerGroup(command: VillagerGroupCommand, state: VillagerGroupState): VillagerGroupEvent[] {
  switch (command.type) {
    case 'RegisterVillagerGroup': {
      if (state.status !== 'unregistered') {
        throw new DomainRuleViolation('group.already_registered', `villager group ${state.code} is already registered`, {
          groupId: state.groupId,
          code: state.code,
        });
      }
      const { groupId, villageId, villageStatus, code, name, now } = command.data;
      if (villageStatus !== 'active') {
        throw new DomainRuleViolation('group.village_retired', `village ${villageId} is retired: no new groups under it`, { villageId });
      }
      return [{ type: 'VillagerGroupRegistered', data: { groupId, villageId, code, name, registeredAt: now } }];
    }
    case 'RenameVillagerGroup': {
      const group = requireActive(state);
      if (group.name === command.data.name) return [];
      return [
        { type: 'VillagerGroupRenamed', data: { groupId: group.groupId, name: command.data.name, previousName: group.name, renamedAt: command.data.now } },
      ];
    }
    case 'RetireVillagerGroup': {
      const group = requireActive(state);
      if (group.responsible) {
        throw new DomainRuleViolation(
          'group.has_responsible_worker',
          `villager group ${group.code} still has a responsible worker; end or hand over the responsibility first`,
          {
            groupId: group.groupId,
            workerId: group.responsible.workerId,
          },
        );
      }
      refuseRetirementWhileOpen('group.has_open_responsibilities', 'group', group.groupId, command.data.openResponsibilities);
      return [{ type: 'VillagerGroupRetired', data: { groupId: group.groupId, retiredAt: command.data.now } }];
    }
    case 'AssignGroupResponsibility':
      return assign(requireActive(state), command.data);
    case 'HandOverGroupResponsibility': {
      const group = requireActive(state);
      const { fromWorkerId, toWorker, from, now } = command.data;
      if (group.responsible?.workerId !== fromWorkerId) return [];
      return assign(group, { worker: toWorker, from, now });
    }
    case 'EndGroupResponsibility': {
      const group = requireActive(state);
      if (!group.responsible) {
        throw new DomainRuleViolation('group.no_responsible_worker', `villager group ${group.code} has no responsible worker to end`, {
          groupId: group.groupId,
        });
      }
      assertPeriod(group.responsible.from, command.data.to);
      const { workerId, from } = group.responsible;
      return [{ type: 'GroupResponsibilityEnded', data: { groupId: group.groupId, workerId, from, to: command.data.to, endedAt: command.data.now } }];
    }
    default:
      return assertNever(command);
  }
}

export const villagerGroupDecider: Decider<VillagerGroupCommand, VillagerGroupEvent, VillagerGroupState> = {
  decide: decideVillagerGroup,
  evolve: evolveVillagerGroup,
  initialState: initialVillagerGroupState,
};
