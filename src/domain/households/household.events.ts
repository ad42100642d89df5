import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { MemberSchema, SpecialGroupSchema, type Member, type SpecialGroup } from './person';

const Day = z.iso.date();
const At = z.string().datetime();

// ── Events ───────────────────────────────────────────────────────────────────
export const HouseholdRegisteredSchema = z.object({
  householdId: z.string().uuid(),
  groupId: z.string().uuid(),
  address: z.string().nullable(),
  incomeStability: z.enum(['stable', 'unstable']),
  members: z.array(MemberSchema).min(1),
  registeredAt: At,
});
export const MemberAddedSchema = z.object({ householdId: z.string().uuid(), member: MemberSchema, addedAt: At });
export const MemberUpdatedSchema = z.object({ householdId: z.string().uuid(), member: MemberSchema, updatedAt: At });
export const MemberRemovedSchema = z.object({ householdId: z.string().uuid(), personId: z.string().uuid(), reason: z.string().min(1), removedAt: At });
export const CircumstancesChangedSchema = z.object({
  householdId: z.string().uuid(),
  on: Day,
  category: z.enum(['income', 'health', 'housing', 'family', 'education', 'disaster', 'other']),
  description: z.string().min(1),
  incomeStability: z.enum(['stable', 'unstable']).nullable(),
  recordedAt: At,
});
export const HouseholdMovedSchema = z.object({
  householdId: z.string().uuid(),
  fromGroupId: z.string().uuid(),
  toGroupId: z.string().uuid(),
  on: Day,
  movedAt: At,
});
export const SpecialGroupJoinedSchema = z.object({
  householdId: z.string().uuid(),
  membershipId: z.string().uuid(),
  group: SpecialGroupSchema,
  /** null: the whole household; otherwise one member. */
  personId: z.string().uuid().nullable(),
  riskLevel: z.number().int().min(0).max(5).nullable(),
  from: Day,
  to: Day.nullable(),
  recordedAt: At,
});
export const SpecialGroupLeftSchema = z.object({ householdId: z.string().uuid(), membershipId: z.string().uuid(), to: Day, recordedAt: At });

export type HouseholdEvent =
  | { type: 'HouseholdRegistered'; data: z.infer<typeof HouseholdRegisteredSchema> }
  | { type: 'MemberAdded'; data: z.infer<typeof MemberAddedSchema> }
  | { type: 'MemberUpdated'; data: z.infer<typeof MemberUpdatedSchema> }
  | { type: 'MemberRemoved'; data: z.infer<typeof MemberRemovedSchema> }
  | { type: 'CircumstancesChanged'; data: z.infer<typeof CircumstancesChangedSchema> }
  | { type: 'HouseholdMoved'; data: z.infer<typeof HouseholdMovedSchema> }
  | { type: 'SpecialGroupJoined'; data: z.infer<typeof SpecialGroupJoinedSchema> }
  | { type: 'SpecialGroupLeft'; data: z.infer<typeof SpecialGroupLeftSchema> };

export const householdEvents = {
  HouseholdRegistered: { schema: HouseholdRegisteredSchema, version: 1 },
  MemberAdded: { schema: MemberAddedSchema, version: 1 },
  MemberUpdated: { schema: MemberUpdatedSchema, version: 1 },
  MemberRemoved: { schema: MemberRemovedSchema, version: 1 },
  CircumstancesChanged: { schema: CircumstancesChangedSchema, version: 1 },
  HouseholdMoved: { schema: HouseholdMovedSchema, version: 1 },
  SpecialGroupJoined: { schema: SpecialGroupJoinedSchema, version: 1 },
  SpecialGroupLeft: { schema: SpecialGroupLeftSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
export interface Membership {
  membershipId: string;
  group: SpecialGroup;
  personId: string | null;
  from: string;
  to: string | null;
}

export type HouseholdState =
  | { status: 'unregistered' }
  | {
      status: 'registered';
      householdId: string;
      groupId: string;
      incomeStability: 'stable' | 'unstable';
      members: Member[];
      memberships: Membership[];
    };

export const initialHouseholdState = (): HouseholdState => ({ status: 'unregistered' });

export function evolveHousehold(state: HouseholdState, event: HouseholdEvent): HouseholdState {
  if (event.type === 'HouseholdRegistered') {
    const d = event.data;
    return { status: 'registered', householdId: d.householdId, groupId: d.groupId, incomeStability: d.incomeStability, members: d.members, memberships: [] };
  }
  if (state.status === 'unregistered') return state;
  switch (event.type) {
    case 'MemberAdded':
      return { ...state, members: [...state.members, event.data.member] };
    case 'MemberUpdated':
      return { ...state, members: state.members.map((m) => (m.personId === event.data.member.personId ? event.data.member : m)) };
    case 'MemberRemoved':
      return { ...state, members: state.members.filter((m) => m.personId !== event.data.personId) };
    case 'CircumstancesChanged':
      return event.data.incomeStability ? { ...state, incomeStability: event.data.incomeStability } : state;
    case 'HouseholdMoved':
      return { ...state, groupId: event.data.toGroupId };
    case 'SpecialGroupJoined': {
      const { membershipId, group, personId, from, to } = event.data;
      return { ...state, memberships: [...state.memberships, { membershipId, group, personId, from, to }] };
    }
    case 'SpecialGroupLeft':
      return { ...state, memberships: state.memberships.map((m) => (m.membershipId === event.data.membershipId ? { ...m, to: event.data.to } : m)) };
    default:
      return assertNever(event);
  }
}

export const householdStreamId = (householdId: string) => `household-${householdId}`;
