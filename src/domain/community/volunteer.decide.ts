import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { parseNationalId } from '../shared/national-id';
import { refuseFuture } from './community-vocabulary';
import { evolveVolunteer, initialVolunteerState, type VolunteerEvent, type VolunteerState } from './volunteer.events';

/**
 * `activeVolunteerWithIdNumber`: the registered (not withdrawn) volunteer who already holds this
 * ID number, looked up by the application; a partial unique index backs it under a race.
 * A person who withdrew and comes back is registered anew: the old record keeps its history.
 */
export type VolunteerCommand =
  | {
      type: 'RegisterVolunteer';
      data: {
        volunteerId: string;
        name: string;
        idNumber: string;
        phone: string;
        skills: string[];
        townId: string;
        villageId: string | null;
        registeredOn: string;
        activeVolunteerWithIdNumber: string | null;
        today: string;
        now: string;
      };
    }
  | { type: 'UpdateVolunteerProfile'; data: { phone: string; skills: string[]; now: string } }
  | { type: 'WithdrawVolunteer'; data: { on: string; reason: string; today: string; now: string } };

type Registered = Extract<VolunteerState, { status: 'registered' }>;

function requireRegistered(state: VolunteerState): Registered {
  if (state.status !== 'registered')
    throw new IllegalStateError(
      `volunteer.${state.status === 'withdrawn' ? 'withdrawn' : 'not_registered'}`,
      `the volunteer is ${state.status}`,
      state.status,
      ['registered'],
    );
  return state;
}

/** Skills are free words people use (理发, 陪伴, 医护); the same word twice is one skill. */
const distinct = (skills: readonly string[]) => [...new Set(skills.map((s) => s.trim()).filter(Boolean))];

export function decideVolunteer(command: VolunteerCommand, state: VolunteerState): VolunteerEvent[] {
  switch (command.type) {
    case 'RegisterVolunteer': {
      const d = command.data;
      if (state.status !== 'unregistered')
        throw new DomainRuleViolation('volunteer.already_registered', 'this volunteer record already exists', { existingVolunteerId: d.volunteerId });
      const parsed = parseNationalId(d.idNumber);
      // The message never repeats the number: it is personal data and ends up in logs.
      if (!parsed) throw new DomainRuleViolation('volunteer.id_number_invalid', 'the ID number is not a valid GB 11643 number', { field: 'idNumber' });
      if (d.activeVolunteerWithIdNumber) {
        throw new DomainRuleViolation('volunteer.already_registered', 'a registered volunteer already holds this ID number', {
          existingVolunteerId: d.activeVolunteerWithIdNumber,
        });
      }
      refuseFuture('volunteer.date_in_future', 'the registration date', d.registeredOn, d.today);
      return [
        {
          type: 'VolunteerRegistered',
          data: {
            volunteerId: d.volunteerId,
            name: d.name,
            nationalId: parsed.value,
            phone: d.phone,
            skills: distinct(d.skills),
            townId: d.townId,
            villageId: d.villageId,
            registeredOn: d.registeredOn,
            registeredAt: d.now,
          },
        },
      ];
    }
    case 'UpdateVolunteerProfile': {
      const volunteer = requireRegistered(state);
      const skills = distinct(command.data.skills);
      if (volunteer.phone === command.data.phone && JSON.stringify(volunteer.skills) === JSON.stringify(skills)) return [];
      return [
        { type: 'VolunteerProfileUpdated', data: { volunteerId: volunteer.volunteerId, phone: command.data.phone, skills, updatedAt: command.data.now } },
      ];
    }
    case 'WithdrawVolunteer': {
      const volunteer = requireRegistered(state);
      const { on, reason, today, now } = command.data;
      if (on < volunteer.registeredOn) {
        throw new DomainRuleViolation(
          'volunteer.withdrawal_before_registration',
          `a volunteer registered on ${volunteer.registeredOn} cannot withdraw on ${on}`,
          { registeredOn: volunteer.registeredOn, on },
        );
      }
      refuseFuture('volunteer.date_in_future', 'the withdrawal date', on, today);
      return [{ type: 'VolunteerWithdrawn', data: { volunteerId: volunteer.volunteerId, on, reason, withdrawnAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

export const volunteerDecider: Decider<VolunteerCommand, VolunteerEvent, VolunteerState> = {
  decide: decideVolunteer,
  evolve: evolveVolunteer,
  initialState: initialVolunteerState,
};
