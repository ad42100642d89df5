import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import type { Period } from '../workforce/period';
import { AtSchema, DaySchema, TeamKindSchema, UuidSchema, type TeamKind } from './community-vocabulary';

/**
 * A volunteer team and its dated memberships. A membership is the half-open period [from, to):
 * someone who leaves on day D is no longer a member on D, and may rejoin from D.
 */
// ── Events ───────────────────────────────────────────────────────────────────
export const VolunteerTeamFormedSchema = z.object({
  teamId: UuidSchema,
  name: z.string().min(1),
  kind: TeamKindSchema,
  townId: UuidSchema,
  villageId: UuidSchema.nullable(),
  formedOn: DaySchema,
  formedAt: AtSchema,
});
export const VolunteerTeamMemberJoinedSchema = z.object({ teamId: UuidSchema, volunteerId: UuidSchema, from: DaySchema, recordedAt: AtSchema });
export const VolunteerTeamMemberLeftSchema = z.object({ teamId: UuidSchema, volunteerId: UuidSchema, to: DaySchema, recordedAt: AtSchema });
export const VolunteerTeamLeaderAppointedSchema = z.object({
  teamId: UuidSchema,
  volunteerId: UuidSchema,
  previousLeaderId: UuidSchema.nullable(),
  from: DaySchema,
  recordedAt: AtSchema,
});
/** Ends every open membership (and the leadership) on `on`. */
export const VolunteerTeamDisbandedSchema = z.object({ teamId: UuidSchema, on: DaySchema, reason: z.string().min(1), recordedAt: AtSchema });

export type TeamEvent =
  | { type: 'VolunteerTeamFormed'; data: z.infer<typeof VolunteerTeamFormedSchema> }
  | { type: 'VolunteerTeamMemberJoined'; data: z.infer<typeof VolunteerTeamMemberJoinedSchema> }
  | { type: 'VolunteerTeamMemberLeft'; data: z.infer<typeof VolunteerTeamMemberLeftSchema> }
  | { type: 'VolunteerTeamLeaderAppointed'; data: z.infer<typeof VolunteerTeamLeaderAppointedSchema> }
  | { type: 'VolunteerTeamDisbanded'; data: z.infer<typeof VolunteerTeamDisbandedSchema> };

export const teamEvents = {
  VolunteerTeamFormed: { schema: VolunteerTeamFormedSchema, version: 1 },
  VolunteerTeamMemberJoined: { schema: VolunteerTeamMemberJoinedSchema, version: 1 },
  VolunteerTeamMemberLeft: { schema: VolunteerTeamMemberLeftSchema, version: 1 },
  VolunteerTeamLeaderAppointed: { schema: VolunteerTeamLeaderAppointedSchema, version: 1 },
  VolunteerTeamDisbanded: { schema: VolunteerTeamDisbandedSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
export interface TeamMembership extends Period {
  volunteerId: string;
}

interface FormedTeam {
  teamId: string;
  kind: TeamKind;
  formedOn: string;
  disbandedOn: string | null;
  memberships: TeamMembership[];
  leader: { volunteerId: string; from: string } | null;
}

export type TeamState = { status: 'unformed' } | (FormedTeam & { status: 'active' }) | (FormedTeam & { status: 'disbanded' });

export const initialTeamState = (): TeamState => ({ status: 'unformed' });

const closeOpen = (memberships: TeamMembership[], volunteerId: string | null, to: string) =>
  memberships.map((m) => (m.to === null && (volunteerId === null || m.volunteerId === volunteerId) ? { ...m, to } : m));

export function evolveTeam(state: TeamState, event: TeamEvent): TeamState {
  if (event.type === 'VolunteerTeamFormed') {
    const d = event.data;
    return { status: 'active', teamId: d.teamId, kind: d.kind, formedOn: d.formedOn, disbandedOn: null, memberships: [], leader: null };
  }
  if (state.status === 'unformed') return state;
  switch (event.type) {
    case 'VolunteerTeamMemberJoined':
      return { ...state, memberships: [...state.memberships, { volunteerId: event.data.volunteerId, from: event.data.from, to: null }] };
    case 'VolunteerTeamMemberLeft':
      return {
        ...state,
        memberships: closeOpen(state.memberships, event.data.volunteerId, event.data.to),
        // A leader who leaves leaves the team without a leader until one is appointed.
        leader: state.leader?.volunteerId === event.data.volunteerId ? null : state.leader,
      };
    case 'VolunteerTeamLeaderAppointed':
      return { ...state, leader: { volunteerId: event.data.volunteerId, from: event.data.from } };
    case 'VolunteerTeamDisbanded':
      return { ...state, status: 'disbanded', disbandedOn: event.data.on, memberships: closeOpen(state.memberships, null, event.data.on), leader: null };
    default:
      return assertNever(event);
  }
}

/** The membership in force on a day, if any. */
export function membershipOn(memberships: readonly TeamMembership[], volunteerId: string, day: string): TeamMembership | undefined {
  return memberships.find((m) => m.volunteerId === volunteerId && m.from <= day && (m.to === null || day < m.to));
}

export const teamStreamId = (teamId: string) => `volunteer-team-${teamId}`;
