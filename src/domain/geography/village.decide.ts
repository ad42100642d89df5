import type { Decider } from '../shared/decider';
import { assertNever } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { refuseRetirementWhileOpen } from './retirement';
import { evolveVillage, initialVillageState, type RegisteredVillage, type VillageEvent, type VillageKind, type VillageState } from './village.events';

// ── Commands ─────────────────────────────────────────────────────────────────
/** `townStatus`: the parent town's state, looked up by the application (404 if it does not exist). */
export type RegisterVillage = {
  type: 'RegisterVillage';
  data: { villageId: string; townId: string; townStatus: 'active' | 'retired'; kind: VillageKind; code: string; name: string; now: string };
};

export type RenameVillage = {
  type: 'RenameVillage';
  data: { villageId: string; name: string; now: string };
};

/** `openResponsibilities`: active groups, the service point, linked workers… (see retirement.ts). */
export type RetireVillage = {
  type: 'RetireVillage';
  data: { villageId: string; openResponsibilities: string[]; now: string };
};

export type VillageCommand = RegisterVillage | RenameVillage | RetireVillage;

function requireActive(state: VillageState): RegisteredVillage {
  if (state.status === 'unregistered') throw new IllegalStateError('village.not_registered', 'the village is not registered', state.status, ['active']);
  if (state.status === 'retired') throw new IllegalStateError('village.retired', `village ${state.code} is retired`, state.status, ['active']);
  return state;
}

export function decideVillage(command: VillageCommand, state: VillageState): VillageEvent[] {
  switch (command.type) {
    case 'RegisterVillage': {
      if (state.status !== 'unregistered') {
        throw new DomainRuleViolation('village.already_registered', `village ${state.code} is already registered`, {
          villageId: state.villageId,
          code: state.code,
        });
      }
      const { villageId, townId, townStatus, kind, code, name, now } = command.data;
      if (townStatus !== 'active') {
        throw new DomainRuleViolation('village.town_retired', `town ${townId} is retired: no new villages under it`, { townId });
      }
      return [{ type: 'VillageRegistered', data: { villageId, townId, kind, code, name, registeredAt: now } }];
    }
    case 'RenameVillage': {
      const village = requireActive(state);
      if (village.name === command.data.name) return [];
      return [
        { type: 'VillageRenamed', data: { villageId: village.villageId, name: command.data.name, previousName: village.name, renamedAt: command.data.now } },
      ];
    }
    case 'RetireVillage': {
      const village = requireActive(state);
      refuseRetirementWhileOpen('village.has_open_responsibilities', 'village', village.villageId, command.data.openResponsibilities);
      return [{ type: 'VillageRetired', data: { villageId: village.villageId, retiredAt: command.data.now } }];
    }
    default:
      return assertNever(command);
  }
}

export const villageDecider: Decider<VillageCommand, VillageEvent, VillageState> = {
  decide: decideVillage,
  evolve: evolveVillage,
  initialState: initialVillageState,
};
