import { describe, it } from 'vitest';
import { teamDecider, type VolunteerStanding } from '../../src/domain/community/team.decide';
import { teamEvents, type TeamEvent } from '../../src/domain/community/team.events';
import { volunteerDecider } from '../../src/domain/community/volunteer.decide';
import { volunteerEvents, type VolunteerEvent } from '../../src/domain/community/volunteer.events';
import { given, uuid } from './decider-spec';
import { idNumber } from '../support/national-ids';

const NOW = '2026-03-02T02:00:00.000Z';
const TODAY = '2026-03-02';
const V = uuid(1);
const TOWN = uuid(2);
const VILLAGE = uuid(3);
const TEAM = uuid(4);
const V2 = uuid(5);

describe('volunteer decider', () => {
  const register = (extra: object = {}) => ({
    type: 'RegisterVolunteer' as const,
    data: {
      volunteerId: V,
      name: '李阿姨',
      idNumber: idNumber('1958-04-04', 24).toLowerCase(),
      phone: '13900000001',
      skills: ['理发', '理发', ' 陪伴 '],
      townId: TOWN,
      villageId: VILLAGE,
      registeredOn: '2026-01-05',
      activeVolunteerWithIdNumber: null,
      today: TODAY,
      now: NOW,
      ...extra,
    },
  });
  const registered: VolunteerEvent = {
    type: 'VolunteerRegistered',
    data: {
      volunteerId: V,
      name: '李阿姨',
      nationalId: idNumber('1958-04-04', 24),
      phone: '13900000001',
      skills: ['理发', '陪伴'],
      townId: TOWN,
      villageId: VILLAGE,
      registeredOn: '2026-01-05',
      registeredAt: NOW,
    },
  };

  it('registers with a normalised ID number and distinct skills', () => {
    given(volunteerDecider, [], volunteerEvents).when(register()).then([registered]);
  });
  it('refuses an invalid ID number, a person already registered, and a future date', () => {
    given(volunteerDecider)
      .when(register({ idNumber: '530626195804040000' }))
      .thenThrows('volunteer.id_number_invalid');
    given(volunteerDecider)
      .when(register({ activeVolunteerWithIdNumber: uuid(9) }))
      .thenThrows('volunteer.already_registered', { existingVolunteerId: uuid(9) });
    given(volunteerDecider)
      .when(register({ registeredOn: '2026-03-03' }))
      .thenThrows('volunteer.date_in_future');
  });
  it('withdraws once, not before registration', () => {
    const withdraw = (on: string) => ({ type: 'WithdrawVolunteer' as const, data: { on, reason: '外出务工', today: TODAY, now: NOW } });
    const withdrawn: VolunteerEvent = { type: 'VolunteerWithdrawn', data: { volunteerId: V, on: '2026-02-01', reason: '外出务工', withdrawnAt: NOW } };
    given(volunteerDecider, [registered], volunteerEvents).when(withdraw('2026-02-01')).then([withdrawn]);
    given(volunteerDecider, [registered]).when(withdraw('2026-01-04')).thenThrows('volunteer.withdrawal_before_registration');
    given(volunteerDecider, [registered, withdrawn]).when(withdraw('2026-02-02')).thenThrows('volunteer.withdrawn');
    given(volunteerDecider, [registered, withdrawn])
      .when({ type: 'UpdateVolunteerProfile', data: { phone: '1', skills: [], now: NOW } })
      .thenThrows('volunteer.withdrawn');
  });
  it('updates the profile only when something changed', () => {
    given(volunteerDecider, [registered])
      .when({ type: 'UpdateVolunteerProfile', data: { phone: '13900000001', skills: ['理发', '陪伴'], now: NOW } })
      .then([]);
  });
});

describe('team decider: membership dates', () => {
  const formed: TeamEvent = {
    type: 'VolunteerTeamFormed',
    data: {
      teamId: TEAM,
      name: '回望村互助队',
      kind: 'village_mutual_aid_elder_care',
      townId: TOWN,
      villageId: VILLAGE,
      formedOn: '2026-01-10',
      formedAt: NOW,
    },
  };
  const standing = (extra: Partial<VolunteerStanding> = {}): VolunteerStanding => ({
    volunteerId: V,
    status: 'registered',
    registeredOn: '2026-01-05',
    withdrawnOn: null,
    ...extra,
  });
  const join = (from: string, volunteer = standing()) => ({ type: 'JoinTeam' as const, data: { volunteer, from, today: TODAY, now: NOW } });
  const joined = (from: string, volunteerId = V): TeamEvent => ({
    type: 'VolunteerTeamMemberJoined',
    data: { teamId: TEAM, volunteerId, from, recordedAt: NOW },
  });
  const left = (to: string, volunteerId = V): TeamEvent => ({ type: 'VolunteerTeamMemberLeft', data: { teamId: TEAM, volunteerId, to, recordedAt: NOW } });

  it('needs a village for a village mutual-aid elder-care team', () => {
    given(teamDecider)
      .when({
        type: 'FormTeam',
        data: { teamId: TEAM, name: 'x', kind: 'village_mutual_aid_elder_care', townId: TOWN, villageId: null, formedOn: '2026-01-10', today: TODAY, now: NOW },
      })
      .thenThrows('team.village_required');
    given(teamDecider, [], teamEvents)
      .when({
        type: 'FormTeam',
        data: {
          teamId: TEAM,
          name: '回望村互助队',
          kind: 'village_mutual_aid_elder_care',
          townId: TOWN,
          villageId: VILLAGE,
          formedOn: '2026-01-10',
          today: TODAY,
          now: NOW,
        },
      })
      .then([formed]);
  });
  it('joins a registered volunteer from a date on or after the team was formed', () => {
    given(teamDecider, [formed], teamEvents)
      .when(join('2026-01-10'))
      .then([joined('2026-01-10')]);
    given(teamDecider, [formed]).when(join('2026-01-09')).thenThrows('team.join_before_formed');
    given(teamDecider, [formed]).when(join('2026-03-03')).thenThrows('team.date_in_future');
  });
  it('refuses a volunteer not registered on the joining date', () => {
    given(teamDecider, [formed])
      .when(join('2026-01-20', standing({ registeredOn: '2026-02-01' })))
      .thenThrows('team.volunteer_not_registered');
    given(teamDecider, [formed])
      .when(join('2026-02-20', standing({ status: 'withdrawn', withdrawnOn: '2026-02-01' })))
      .thenThrows('team.volunteer_not_registered');
  });
  it('refuses overlapping memberships but allows rejoining from the day one left', () => {
    given(teamDecider, [formed, joined('2026-01-10')])
      .when(join('2026-02-01'))
      .thenThrows('team.already_member');
    given(teamDecider, [formed, joined('2026-01-10'), left('2026-02-01')])
      .when(join('2026-01-31'))
      .thenThrows('team.already_member', { from: '2026-01-10', to: '2026-02-01' });
    given(teamDecider, [formed, joined('2026-01-10'), left('2026-02-01')], teamEvents)
      .when(join('2026-02-01'))
      .then([joined('2026-02-01')]);
  });
  it('ends a membership no earlier than it began, and only an open one', () => {
    const leave = (to: string, volunteerId = V) => ({ type: 'LeaveTeam' as const, data: { volunteerId, to, today: TODAY, now: NOW } });
    given(teamDecider, [formed, joined('2026-01-15')], teamEvents)
      .when(leave('2026-02-15'))
      .then([left('2026-02-15')]);
    given(teamDecider, [formed, joined('2026-01-15')])
      .when(leave('2026-01-14'))
      .thenThrows('team.membership_period_invalid');
    given(teamDecider, [formed]).when(leave('2026-02-15')).thenThrows('team.not_member');
    given(teamDecider, [formed, joined('2026-01-15'), left('2026-02-01')])
      .when(leave('2026-02-15'))
      .thenThrows('team.not_member');
  });
  it('appoints a current member as leader; a leader who leaves leaves the team leaderless', () => {
    const appoint = (volunteerId: string, from: string) => ({ type: 'AppointLeader' as const, data: { volunteerId, from, today: TODAY, now: NOW } });
    const appointed: TeamEvent = {
      type: 'VolunteerTeamLeaderAppointed',
      data: { teamId: TEAM, volunteerId: V, previousLeaderId: null, from: '2026-01-20', recordedAt: NOW },
    };
    given(teamDecider, [formed, joined('2026-01-15')], teamEvents)
      .when(appoint(V, '2026-01-20'))
      .then([appointed]);
    given(teamDecider, [formed, joined('2026-01-15')])
      .when(appoint(V, '2026-01-14'))
      .thenThrows('team.leader_not_member');
    given(teamDecider, [formed]).when(appoint(V2, '2026-01-20')).thenThrows('team.leader_not_member');
    given(teamDecider, [formed, joined('2026-01-15'), appointed])
      .when(appoint(V, '2026-02-01'))
      .then([]);
    given(teamDecider, [formed, joined('2026-01-15'), joined('2026-01-15', V2), appointed])
      .when(appoint(V2, '2026-01-19'))
      .thenThrows('team.leader_date_invalid');
    // After the leader left, V2 is appointed with no predecessor.
    given(teamDecider, [formed, joined('2026-01-15'), joined('2026-01-15', V2), appointed, left('2026-02-01')], teamEvents)
      .when(appoint(V2, '2026-02-01'))
      .then([{ type: 'VolunteerTeamLeaderAppointed', data: { teamId: TEAM, volunteerId: V2, previousLeaderId: null, from: '2026-02-01', recordedAt: NOW } }]);
  });
  it('disbands no earlier than its latest open membership, and then accepts nothing', () => {
    const disband = (on: string) => ({ type: 'DisbandTeam' as const, data: { on, reason: '合并', today: TODAY, now: NOW } });
    const disbanded: TeamEvent = { type: 'VolunteerTeamDisbanded', data: { teamId: TEAM, on: '2026-02-20', reason: '合并', recordedAt: NOW } };
    given(teamDecider, [formed, joined('2026-02-10')])
      .when(disband('2026-02-09'))
      .thenThrows('team.membership_period_invalid');
    given(teamDecider, [formed, joined('2026-02-10')], teamEvents)
      .when(disband('2026-02-20'))
      .then([disbanded]);
    given(teamDecider, [formed, joined('2026-02-10'), disbanded])
      .when(join('2026-02-25'))
      .thenThrows('team.disbanded');
  });
});
