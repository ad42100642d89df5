import type { Decider } from '../shared/decider';
import { DomainRuleViolation } from '../shared/errors';
import { evolveTown, initialTownState, type TownEvent, type TownState } from './town.events';

// ── Commands ─────────────────────────────────────────────────────────────────
export type RegisterTown = {
  type: 'RegisterTown';
  data: { townId: string; code: string; name: string; now: string };
};

export type TownCommand = RegisterTown;

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
  }
}

export const townDecider: Decider<TownCommand, TownEvent, TownState> = {
  decide: decideTown,
  evolve: evolveTown,
  initialState: initialTownState,
};
