import type { Decider } from '../shared/decider';
import { assertNever } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { refuseRetirementWhileOpen } from './retirement';
import { evolveTown, initialTownState, type RegisteredTown, type TownEvent, type TownState } from './town.events';

// ── Commands ─────────────────────────────────────────────────────────────────
export type RegisterTown = {
  type: 'RegisterTown';
  data: { townId: string; code: string; name: string; now: string };
};

export type RenameTown = {
  type: 'RenameTown';
  data: { townId: string; name: string; now: string };
};

/** `openResponsibilities`: what still depends on the town, looked up by the application (see retirement.ts). */
export type RetireTown = {
  type: 'RetireTown';
  data: { townId: string; openResponsibilities: string[]; now: string };
};

export type TownCommand = RegisterTown | RenameTown | RetireTown;

function requireActive(state: TownState): RegisteredTown {
  if (state.status === 'unregistered') throw new IllegalStateError('town.not_registered', 'the town is not registered', state.status, ['active']);
  if (state.status === 'retired') throw new IllegalStateError('town.retired', `town ${state.code} is retired`, state.status, ['active']);
  return state;
}

export function decideTown(command: TownCommand, state: TownState): TownEvent[] {
  switch (command.type) {
    case 'RegisterTown': {
      if (state.status !== 'unregistered') {
        throw new DomainRuleViolation('town.already_registered', `town ${state.code} is already registered`, {
          townId: state.townId,
          code: state.code,
        });
      }
      const { townId, code, name, now } = command.data;
      return [{ type: 'TownRegistered', data: { townId, code, name, registeredAt: now } }];
    }
    case 'RenameTown': {
      const town = requireActive(state);
      // Renaming to the current name changes nothing: imports can be re-run.
      if (town.name === command.data.name) return [];
      return [{ type: 'TownRenamed', data: { townId: town.townId, name: command.data.name, previousName: town.name, renamedAt: command.data.now } }];
    }
    case 'RetireTown': {
      const town = requireActive(state);
      refuseRetirementWhileOpen('town.has_open_responsibilities', 'town', town.townId, command.data.openResponsibilities);
      return [{ type: 'TownRetired', data: { townId: town.townId, retiredAt: command.data.now } }];
    }
    default:
      return assertNever(command);
  }
}

export const townDecider: Decider<TownCommand, TownEvent, TownState> = {
  decide: decideTown,
  evolve: evolveTown,
  initialState: initialTownState,
};
