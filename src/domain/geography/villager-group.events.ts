import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { IsoDateSchema } from '../workforce/period';

/*
 * A villager group (村(居)民小组) is one grid cell. Its responsible worker (包保) lives on the
 * group's own stream, not the worker's: "exactly one at any time" is then a rule of a single
 * aggregate, and a new assignment ends the previous one in the same event.
 */

// ── Events ───────────────────────────────────────────────────────────────────
export const VillagerGroupRegisteredSchema = z.object({
  groupId: z.string().uuid(),
  villageId: z.string().uuid(),
  code: z.string().min(1),
  name: z.string().min(1),
  registeredAt: z.string().datetime(),
});
export type VillagerGroupRegistered = { type: 'VillagerGroupRegistered'; data: z.infer<typeof VillagerGroupRegisteredSchema> };

export const VillagerGroupRenamedSchema = z.object({
  groupId: z.string().uuid(),
  name: z.string().min(1),
  previousName: z.string().min(1),
  renamedAt: z.string().datetime(),
});
export type VillagerGroupRenamed = { type: 'VillagerGroupRenamed'; data: z.infer<typeof VillagerGroupRenamedSchema> };

export const VillagerGroupRetiredSchema = z.object({
  groupId: z.string().uuid(),
  retiredAt: z.string().datetime(),
});
export type VillagerGroupRetired = { type: 'VillagerGroupRetired'; data: z.infer<typeof VillagerGroupRetiredSchema> };

/** `previous` is the assignment this one ends, with `to` = this one's `from` (half-open periods). */
export const GroupResponsibilityAssignedSchema = z.object({
  groupId: z.string().uuid(),
  workerId: z.string().uuid(),
  from: IsoDateSchema,
  previous: z.object({ workerId: z.string().uuid(), from: IsoDateSchema, to: IsoDateSchema }).nullable(),
  assignedAt: z.string().datetime(),
});
export type GroupResponsibilityAssigned = { type: 'GroupResponsibilityAssigned'; data: z.infer<typeof GroupResponsibilityAssignedSchema> };

/** Ends the assignment without a successor: the group becomes a coverage gap (or can be retired). */
export const GroupResponsibilityEndedSchema = z.object({
  groupId: z.string().uuid(),
  workerId: z.string().uuid(),
  from: IsoDateSchema,
  to: IsoDateSchema,
  endedAt: z.string().datetime(),
});
export type GroupResponsibilityEnded = { type: 'GroupResponsibilityEnded'; data: z.infer<typeof GroupResponsibilityEndedSchema> };

export type VillagerGroupEvent = VillagerGroupRegistered | VillagerGroupRenamed | VillagerGroupRetired | GroupResponsibilityAssigned | GroupResponsibilityEnded;

export const villagerGroupEvents = {
  VillagerGroupRegistered: { schema: VillagerGroupRegisteredSchema, version: 1 },
  VillagerGroupRenamed: { schema: VillagerGroupRenamedSchema, version: 1 },
  VillagerGroupRetired: { schema: VillagerGroupRetiredSchema, version: 1 },
  GroupResponsibilityAssigned: { schema: GroupResponsibilityAssignedSchema, version: 1 },
  GroupResponsibilityEnded: { schema: GroupResponsibilityEndedSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
export type GroupResponsibility = { workerId: string; from: string };

export type RegisteredVillagerGroup = {
  status: 'active' | 'retired';
  groupId: string;
  villageId: string;
  code: string;
  name: string;
  /** The assignment in force; only the current one matters to decisions, history is in the read model. */
  responsible: GroupResponsibility | null;
};
export type VillagerGroupState = { status: 'unregistered' } | RegisteredVillagerGroup;

export const initialVillagerGroupState = (): VillagerGroupState => ({ status: 'unregistered' });

export function evolveVillagerGroup(state: VillagerGroupState, event: VillagerGroupEvent): VillagerGroupState {
  if (event.type === 'VillagerGroupRegistered') {
    const { groupId, villageId, code, name } = event.data;
    return { status: 'active', groupId, villageId, code, name, responsible: null };
  }
  if (state.status === 'unregistered') return state;
  switch (event.type) {
    case 'VillagerGroupRenamed':
      return { ...state, name: event.data.name };
    case 'VillagerGroupRetired':
      return { ...state, status: 'retired' };
    case 'GroupResponsibilityAssigned':
      return { ...state, responsible: { workerId: event.data.workerId, from: event.data.from } };
    case 'GroupResponsibilityEnded':
      return { ...state, responsible: null };
    default:
      return assertNever(event);
  }
}

export const villagerGroupStreamId = (groupId: string) => `villager-group-${groupId}`;
