import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { periodsOverlap } from '../workforce/period';
import { refuseFuture, type TeamKind } from './community-vocabulary';
import { evolveTeam, initialTeamState, membershipOn, type TeamEvent, type TeamState } from './team.events';

/** What the application knows of a volunteer when they join: their registration period. */
export interface VolunteerStanding {
  volunteerId: string;
  status: 'registered' | 'withdrawn' | 'unregistered';
  registeredOn: string | null;
  withdrawnOn: string | null;
}

export type TeamCommand =
  | {
      type: 'FormTeam';
      data: { teamId: string; name: string; kind: TeamKind; townId: string; villageId: string | null; formedOn: string; today: string; now: string };
    }
  | { type: 'JoinTeam'; data: { volunteer: VolunteerStanding; from: string; today: string; now: string } }
  | { type: 'LeaveTeam'; data: { volunteerId: string; to: string; today: string; now: string } }
  | { type: 'AppointLeader'; data: { volunteerId: string; from: string; today: string; now: string } }
  | { type: 'DisbandTeam'; data: { on: string; reason: string; today: string; now: string } };

type Active = Extract<TeamState, { status: 'active' }>;

function requireActive(state: TeamState): Active {
  if (state.status === 'unformed') throw new IllegalStateError('team.not_formed', 'no such team', state.status, ['active']);
  if (state.status === 'disbanded') throw new IllegalStateError('team.disbanded', `the team was disbanded on ${state.disbandedOn}`, state.status, ['active']);
  return state;
}

/** Registered on `day`: registered on or before it, and not withdrawn by then. */
function registeredOn(v: VolunteerStanding, day: string): boolean {
  return v.status !== 'unregistered' && v.registeredOn !== null && v.registeredOn <= day && (v.withdrawnOn === null || day < v.withdrawnOn);
}

export function decideTeam(command: TeamCommand, state: TeamState): TeamEvent[] {
  switch (command.type) {
    case 'FormTeam': {
      const d = command.data;
      if (state.status !== 'unformed') throw new DomainRuleViolation('team.already_formed', 'this team already exists', { teamId: d.teamId });
      // 邻里互助养老 is by definition one village's neighbours looking after its elders.
      if (d.kind === 'village_mutual_aid_elder_care' && !d.villageId) {
        throw new DomainRuleViolation('team.village_required', 'a village mutual-aid elder-care team belongs to one village', { field: 'villageId' });
      }
      refuseFuture('team.date_in_future', 'the formation date', d.formedOn, d.today);
      return [
        {
          type: 'VolunteerTeamFormed',
          data: { teamId: d.teamId, name: d.name, kind: d.kind, townId: d.townId, villageId: d.villageId, formedOn: d.formedOn, formedAt: d.now },
        },
      ];
    }
    case 'JoinTeam': {
      const team = requireActive(state);
      const { volunteer, from, today, now } = command.data;
      refuseFuture('team.date_in_future', 'the joining date', from, today);
      if (from < team.formedOn)
        throw new DomainRuleViolation('team.join_before_formed', `the team was formed on ${team.formedOn}`, { formedOn: team.formedOn, from });
      if (!registeredOn(volunteer, from)) {
        throw new DomainRuleViolation('team.volunteer_not_registered', `the volunteer is not a registered volunteer on ${from}`, {
          volunteerId: volunteer.volunteerId,
          status: volunteer.status,
          registeredOn: volunteer.registeredOn,
          withdrawnOn: volunteer.withdrawnOn,
        });
      }
      const overlapping = team.memberships.find((m) => m.volunteerId === volunteer.volunteerId && periodsOverlap(m, { from, to: null }));
      if (overlapping)
        throw new DomainRuleViolation('team.already_member', 'the volunteer is already a member for part of that period', {
          volunteerId: volunteer.volunteerId,
          from: overlapping.from,
          to: overlapping.to,
        });
      return [{ type: 'VolunteerTeamMemberJoined', data: { teamId: team.teamId, volunteerId: volunteer.volunteerId, from, recordedAt: now } }];
    }
    case 'LeaveTeam': {
      const team = requireActive(state);
      const { volunteerId, to, today, now } = command.data;
      const open = team.memberships.find((m) => m.volunteerId === volunteerId && m.to === null);
      if (!open) throw new DomainRuleViolation('team.not_member', 'the volunteer is not a member of this team', { volunteerId });
      if (to < open.from)
        throw new DomainRuleViolation('team.membership_period_invalid', `a membership from ${open.from} cannot end on ${to}`, {
          volunteerId,
          from: open.from,
          to,
        });
      refuseFuture('team.date_in_future', 'the leaving date', to, today);
      return [{ type: 'VolunteerTeamMemberLeft', data: { teamId: team.teamId, volunteerId, to, recordedAt: now } }];
    }
    case 'AppointLeader': {
      const team = requireActive(state);
      const { volunteerId, from, today, now } = command.data;
      if (team.leader?.volunteerId === volunteerId) return [];
      refuseFuture('team.date_in_future', 'the appointment date', from, today);
      const membership = membershipOn(team.memberships, volunteerId, from);
      if (!membership || membership.to !== null) {
        throw new DomainRuleViolation('team.leader_not_member', `the leader must be a current member of the team on ${from}`, { volunteerId, from });
      }
      if (team.leader && from < team.leader.from) {
        throw new DomainRuleViolation('team.leader_date_invalid', `the current leader leads from ${team.leader.from}; a successor cannot start earlier`, {
          currentLeaderFrom: team.leader.from,
          from,
        });
      }
      return [
        {
          type: 'VolunteerTeamLeaderAppointed',
          data: { teamId: team.teamId, volunteerId, previousLeaderId: team.leader?.volunteerId ?? null, from, recordedAt: now },
        },
      ];
    }
    case 'DisbandTeam': {
      const team = requireActive(state);
      const { on, reason, today, now } = command.data;
      refuseFuture('team.date_in_future', 'the disbanding date', on, today);
      const latestStart = team.memberships.filter((m) => m.to === null).reduce((max, m) => (m.from > max ? m.from : max), team.formedOn);
      if (on < latestStart)
        throw new DomainRuleViolation('team.membership_period_invalid', `the team has members from ${latestStart}; it cannot be disbanded before`, {
          on,
          latestStart,
        });
      return [{ type: 'VolunteerTeamDisbanded', data: { teamId: team.teamId, on, reason, recordedAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

export const teamDecider: Decider<TeamCommand, TeamEvent, TeamState> = {
  decide: decideTeam,
  evolve: evolveTeam,
  initialState: initialTeamState,
};
