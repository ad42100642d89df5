import { describe, expect, it } from 'vitest';
import { householdDecider, type MemberInput } from '../../src/domain/households/household.decide';
import { householdEvents, type HouseholdEvent } from '../../src/domain/households/household.events';
import { nationalIdCheckChar } from '../../src/domain/shared/national-id';
import { given } from './decider-spec';

const NOW = '2026-03-02T02:00:00.000Z';
const idFor = (birth: string, seq: number) => {
  const first17 = `530626${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + nationalIdCheckChar(first17);
};
const H = '11111111-1111-4111-8111-111111111111';
const G = '22222222-2222-4222-8222-222222222222';
const P1 = '33333333-3333-4333-8333-333333333331';
const P2 = '33333333-3333-4333-8333-333333333332';

const member = (personId: string, idNumber: string, relation: MemberInput['relation'], extra: Partial<MemberInput> = {}): MemberInput => ({
  personId,
  name: '张三',
  idNumber,
  relation,
  disability: null,
  seriousIllness: null,
  labourCapacity: 'full',
  schoolStatus: null,
  ...extra,
});
const head = member(P1, idFor('1960-05-01', 11), 'head'); // 11 → odd → male
const register = (members: MemberInput[], other: Record<string, string> = {}) => ({
  type: 'RegisterHousehold' as const,
  data: {
    householdId: H,
    groupId: G,
    groupStatus: 'active' as const,
    address: null,
    incomeStability: 'stable' as const,
    members,
    otherHouseholdsByIdNumber: other,
    now: NOW,
  },
});
const registered: HouseholdEvent = {
  type: 'HouseholdRegistered',
  data: {
    householdId: H,
    groupId: G,
    address: null,
    incomeStability: 'stable',
    members: [{ ...head, birthDate: '1960-05-01', sex: 'male' }],
    registeredAt: NOW,
  },
};

describe('household decider', () => {
  describe('when registering', () => {
    it('derives birth date and sex from the ID number', () => {
      given(householdDecider, [], householdEvents)
        .when(register([head]))
        .then([registered]);
    });
    it('refuses a birth date that contradicts the ID number', () => {
      given(householdDecider)
        .when(register([{ ...head, birthDate: '1960-05-02' }]))
        .thenThrows('person.birth_date_mismatch');
    });
    it('refuses a sex that contradicts the ID number', () => {
      given(householdDecider)
        .when(register([{ ...head, sex: 'female' }]))
        .thenThrows('person.sex_mismatch');
    });
    it('refuses a person already in another household, naming it', () => {
      given(householdDecider)
        .when(register([head], { [head.idNumber]: 'other-household' }))
        .thenThrows('person.already_in_household', { existingHouseholdId: 'other-household' });
    });
    it('refuses the same person twice, and a household without exactly one head', () => {
      given(householdDecider)
        .when(register([head, { ...head, relation: 'child' }]))
        .thenThrows('person.duplicate_in_household');
      given(householdDecider)
        .when(register([{ ...head, relation: 'spouse' }]))
        .thenThrows('household.one_head');
    });
    it('refuses a retired group', () => {
      const command = register([head]);
      command.data.groupStatus = 'retired' as 'active';
      given(householdDecider).when(command).thenThrows('household.group_retired');
    });
  });

  describe('given a registered household', () => {
    it('adds a member, refusing one registered elsewhere', () => {
      const child = member(P2, idFor('2015-09-09', 22), 'child', { labourCapacity: 'none', schoolStatus: 'primary' });
      given(householdDecider, [registered])
        .when({ type: 'AddMember', data: { member: child, otherHouseholdsByIdNumber: {}, now: NOW } })
        .then([{ type: 'MemberAdded', data: { householdId: H, member: { ...child, birthDate: '2015-09-09', sex: 'female' }, addedAt: NOW } }]);
      given(householdDecider, [registered])
        .when({ type: 'AddMember', data: { member: child, otherHouseholdsByIdNumber: { [child.idNumber]: 'elsewhere' }, now: NOW } })
        .thenThrows('person.already_in_household');
    });
    it('moves it to another group, and does nothing for the same group', () => {
      const to = '44444444-4444-4444-8444-444444444444';
      given(householdDecider, [registered])
        .when({ type: 'MoveHousehold', data: { toGroupId: to, toGroupStatus: 'active', on: '2026-03-01', now: NOW } })
        .then([{ type: 'HouseholdMoved', data: { householdId: H, fromGroupId: G, toGroupId: to, on: '2026-03-01', movedAt: NOW } }]);
      given(householdDecider, [registered])
        .when({ type: 'MoveHousehold', data: { toGroupId: G, toGroupStatus: 'active', on: '2026-03-01', now: NOW } })
        .then([]);
    });
    it('needs a risk level for a mental-disorder membership and refuses overlapping periods', () => {
      const join = (group: 'mental_disorder' | 'dibao', riskLevel: number | null, from: string) => ({
        type: 'JoinSpecialGroup' as const,
        data: { membershipId: '55555555-5555-4555-8555-555555555555', group, personId: null, riskLevel, from, to: null, now: NOW },
      });
      given(householdDecider, [registered])
        .when(join('mental_disorder', null, '2026-01-01'))
        .thenThrows('membership.risk_level_required');
      const joined: HouseholdEvent = { type: 'SpecialGroupJoined', data: { ...join('dibao', null, '2026-01-01').data, recordedAt: NOW } as never };
      given(householdDecider, [registered, joined])
        .when(join('dibao', null, '2026-02-01'))
        .thenThrows('membership.overlaps');
    });
    it('keeps the ID number of a member and never removes the head', () => {
      given(householdDecider, [registered])
        .when({ type: 'UpdateMember', data: { member: { ...head, idNumber: idFor('1960-05-01', 13) }, now: NOW } })
        .thenThrows('person.id_number_immutable');
      given(householdDecider, [registered])
        .when({ type: 'RemoveMember', data: { personId: P1, reason: 'x', now: NOW } })
        .thenThrows('household.head_not_removable');
    });
  });

  it('never puts an ID number in a refusal message', () => {
    try {
      householdDecider.decide(register([head], { [head.idNumber]: 'other' }), householdDecider.initialState());
    } catch (error) {
      expect((error as Error).message).not.toContain(head.idNumber);
      expect(JSON.stringify((error as { details: unknown }).details)).not.toContain(head.idNumber);
    }
  });
});
