import type { Decider } from '../shared/decider';
import { assertNever } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { parseNationalId } from '../shared/national-id';
import { evolveHousehold, initialHouseholdState, type HouseholdEvent, type HouseholdState } from './household.events';
import type { Member, SpecialGroup } from './person';

/** A member as the caller gives it: birth date and sex may be omitted (they come from the ID number). */
export type MemberInput = Omit<Member, 'birthDate' | 'sex'> & { birthDate?: string | undefined; sex?: 'male' | 'female' | undefined };

/**
 * `otherHouseholdsByIdNumber`: for each ID number in the command, the household that already
 * holds that person, looked up by the application (a unique index backs it up under a race).
 */
type Lookup = { otherHouseholdsByIdNumber: Record<string, string> };

export type HouseholdCommand =
  | {
      type: 'RegisterHousehold';
      data: Lookup & {
        householdId: string;
        groupId: string;
        groupStatus: 'active' | 'retired';
        address: string | null;
        incomeStability: 'stable' | 'unstable';
        members: MemberInput[];
        now: string;
      };
    }
  | { type: 'AddMember'; data: Lookup & { member: MemberInput; now: string } }
  | { type: 'UpdateMember'; data: { member: MemberInput; now: string } }
  | { type: 'RemoveMember'; data: { personId: string; reason: string; now: string } }
  | {
      type: 'RecordCircumstancesChange';
      data: {
        on: string;
        category: 'income' | 'health' | 'housing' | 'family' | 'education' | 'disaster' | 'other';
        description: string;
        incomeStability: 'stable' | 'unstable' | null;
        now: string;
      };
    }
  | { type: 'MoveHousehold'; data: { toGroupId: string; toGroupStatus: 'active' | 'retired'; on: string; now: string } }
  | {
      type: 'JoinSpecialGroup';
      data: { membershipId: string; group: SpecialGroup; personId: string | null; riskLevel: number | null; from: string; to: string | null; now: string };
    }
  | { type: 'LeaveSpecialGroup'; data: { membershipId: string; to: string; now: string } };

type Registered = Extract<HouseholdState, { status: 'registered' }>;

function requireRegistered(state: HouseholdState): Registered {
  if (state.status !== 'registered') throw new IllegalStateError('household.not_registered', 'the household is not registered', state.status, ['registered']);
  return state;
}

/** Birth date and sex come from the ID number; given values must agree with it. */
export function completeMember(input: MemberInput): Member {
  const parsed = parseNationalId(input.idNumber);
  if (!parsed)
    throw new DomainRuleViolation('person.id_number_invalid', `the ID number of ${input.name} is not a valid GB 11643 number`, { field: 'idNumber' });
  if (input.birthDate && input.birthDate !== parsed.birthDate) {
    throw new DomainRuleViolation('person.birth_date_mismatch', `the birth date of ${input.name} does not match the ID number`, {
      field: 'birthDate',
      fromIdNumber: parsed.birthDate,
    });
  }
  if (input.sex && input.sex !== parsed.sex) {
    throw new DomainRuleViolation('person.sex_mismatch', `the sex of ${input.name} does not match the ID number`, { field: 'sex', fromIdNumber: parsed.sex });
  }
  return { ...input, idNumber: parsed.value, birthDate: parsed.birthDate, sex: parsed.sex };
}

function refuseDuplicates(members: readonly Member[], lookup: Lookup, householdId: string): void {
  const seen = new Set<string>();
  for (const m of members) {
    if (seen.has(m.idNumber))
      throw new DomainRuleViolation('person.duplicate_in_household', `${m.name} appears twice in the household`, { personId: m.personId });
    seen.add(m.idNumber);
    const other = lookup.otherHouseholdsByIdNumber[m.idNumber];
    if (other && other !== householdId) {
      // The message names the household, never the ID number (it is personal data).
      throw new DomainRuleViolation('person.already_in_household', `${m.name} is already registered in household ${other}`, {
        existingHouseholdId: other,
        personId: m.personId,
      });
    }
  }
}

function refuseHeadCount(members: readonly Member[]): void {
  const heads = members.filter((m) => m.relation === 'head').length;
  if (heads !== 1) throw new DomainRuleViolation('household.one_head', `a household has exactly one head (found ${heads})`, { heads });
}

export function decideHousehold(command: HouseholdCommand, state: HouseholdState): HouseholdEvent[] {
  switch (command.type) {
    case 'RegisterHousehold': {
      const d = command.data;
      if (state.status !== 'unregistered')
        throw new DomainRuleViolation('household.already_registered', 'the household is already registered', { householdId: d.householdId });
      if (d.groupStatus !== 'active') throw new DomainRuleViolation('household.group_retired', 'the villager group is retired', { groupId: d.groupId });
      const members = d.members.map(completeMember);
      refuseHeadCount(members);
      refuseDuplicates(members, d, d.householdId);
      return [
        {
          type: 'HouseholdRegistered',
          data: { householdId: d.householdId, groupId: d.groupId, address: d.address, incomeStability: d.incomeStability, members, registeredAt: d.now },
        },
      ];
    }
    case 'AddMember': {
      const household = requireRegistered(state);
      const member = completeMember(command.data.member);
      if (member.relation === 'head') refuseHeadCount([...household.members, member]);
      refuseDuplicates([...household.members, member], command.data, household.householdId);
      return [{ type: 'MemberAdded', data: { householdId: household.householdId, member, addedAt: command.data.now } }];
    }
    case 'UpdateMember': {
      const household = requireRegistered(state);
      const current = household.members.find((m) => m.personId === command.data.member.personId);
      if (!current) throw new DomainRuleViolation('household.member_not_found', 'no such member in this household', { personId: command.data.member.personId });
      const member = completeMember(command.data.member);
      if (member.idNumber !== current.idNumber)
        throw new DomainRuleViolation('person.id_number_immutable', 'a member keeps their ID number; remove and add to correct it', {
          personId: member.personId,
        });
      refuseHeadCount(household.members.map((m) => (m.personId === member.personId ? member : m)));
      if (JSON.stringify(member) === JSON.stringify(current)) return [];
      return [{ type: 'MemberUpdated', data: { householdId: household.householdId, member, updatedAt: command.data.now } }];
    }
    case 'RemoveMember': {
      const household = requireRegistered(state);
      const member = household.members.find((m) => m.personId === command.data.personId);
      if (!member) throw new DomainRuleViolation('household.member_not_found', 'no such member in this household', { personId: command.data.personId });
      if (member.relation === 'head')
        throw new DomainRuleViolation('household.head_not_removable', 'name a new head before removing the head', { personId: member.personId });
      return [
        {
          type: 'MemberRemoved',
          data: { householdId: household.householdId, personId: member.personId, reason: command.data.reason, removedAt: command.data.now },
        },
      ];
    }
    case 'RecordCircumstancesChange': {
      const household = requireRegistered(state);
      const { on, category, description, incomeStability, now } = command.data;
      return [{ type: 'CircumstancesChanged', data: { householdId: household.householdId, on, category, description, incomeStability, recordedAt: now } }];
    }
    case 'MoveHousehold': {
      const household = requireRegistered(state);
      const { toGroupId, toGroupStatus, on, now } = command.data;
      if (toGroupId === household.groupId) return [];
      if (toGroupStatus !== 'active') throw new DomainRuleViolation('household.group_retired', 'the target villager group is retired', { groupId: toGroupId });
      return [{ type: 'HouseholdMoved', data: { householdId: household.householdId, fromGroupId: household.groupId, toGroupId, on, movedAt: now } }];
    }
    case 'JoinSpecialGroup': {
      const household = requireRegistered(state);
      const d = command.data;
      if (d.personId && !household.members.some((m) => m.personId === d.personId)) {
        throw new DomainRuleViolation('household.member_not_found', 'no such member in this household', { personId: d.personId });
      }
      if (d.to !== null && d.to < d.from)
        throw new DomainRuleViolation('membership.period_invalid', 'a membership cannot end before it starts', { from: d.from, to: d.to });
      if (d.group === 'mental_disorder' && d.riskLevel === null) {
        throw new DomainRuleViolation('membership.risk_level_required', 'a mental-disorder membership needs a risk level (0–5)', { group: d.group });
      }
      const overlapping = household.memberships.find(
        (m) => m.group === d.group && m.personId === d.personId && (m.to === null || m.to > d.from) && (d.to === null || d.to > m.from),
      );
      if (overlapping)
        throw new DomainRuleViolation('membership.overlaps', 'this person or household is already in that group for part of the period', {
          membershipId: overlapping.membershipId,
        });
      return [
        {
          type: 'SpecialGroupJoined',
          data: {
            householdId: household.householdId,
            membershipId: d.membershipId,
            group: d.group,
            personId: d.personId,
            riskLevel: d.riskLevel,
            from: d.from,
            to: d.to,
            recordedAt: d.now,
          },
        },
      ];
    }
    case 'LeaveSpecialGroup': {
      const household = requireRegistered(state);
      const membership = household.memberships.find((m) => m.membershipId === command.data.membershipId);
      if (!membership)
        throw new DomainRuleViolation('membership.not_found', 'no such membership in this household', { membershipId: command.data.membershipId });
      if (command.data.to < membership.from)
        throw new DomainRuleViolation('membership.period_invalid', 'a membership cannot end before it starts', { from: membership.from, to: command.data.to });
      if (membership.to !== null && membership.to <= command.data.to) return [];
      return [
        {
          type: 'SpecialGroupLeft',
          data: { householdId: household.householdId, membershipId: membership.membershipId, to: command.data.to, recordedAt: command.data.now },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

export const householdDecider: Decider<HouseholdCommand, HouseholdEvent, HouseholdState> = {
  decide: decideHousehold,
  evolve: evolveHousehold,
  initialState: initialHouseholdState,
};
