import { DomainRuleViolation } from '../shared/errors';
import { decideVillagerGroup, type HandOverGroupResponsibility } from '../geography/villager-group.decide';
import { villagerGroupStreamId, type VillagerGroupEvent, type VillagerGroupState } from '../geography/villager-group.events';
import type { WorkerFacts } from './worker-facts';

/**
 * Handing over all of a (usually leaving) worker's villager groups in one user command.
 *
 * Each group's responsibility lives on that group's stream, so one handover touches many
 * streams and cannot be one append. This pure function decides them all up front:
 *  - a rule broken for any group (the new worker is a county worker, has left, or the date
 *    is before a group's current assignment) refuses the whole handover before anything is
 *    written;
 *  - groups the worker is not (or no longer) responsible for are skipped, so running the same
 *    handover again after a partial failure finishes the job and changes nothing else.
 *
 * The application then, per step, appends to `step.streamId` through the command handler with
 * `decider: villagerGroupDecider, command: step.command` (not the precomputed `events`): the
 * handler re-decides on the stream's current state, and HandOverGroupResponsibility is a no-op
 * when the named worker is no longer responsible, so a concurrent change is never overwritten.
 * `events` is what will be written if nothing changes meanwhile (for previews and responses).
 * Afterwards the worker can leave (LeaveEmployment with no groups left).
 */
export interface GroupHandoverInput {
  fromWorkerId: string;
  toWorker: WorkerFacts;
  /** The day the new worker takes over; the previous assignments end that day. */
  from: string;
  now: string;
  /** Current states of the groups to hand over, loaded by the application (typically all groups the read model lists for the worker). */
  groups: readonly VillagerGroupState[];
}

export interface GroupHandoverStep {
  groupId: string;
  streamId: string;
  command: HandOverGroupResponsibility;
  events: VillagerGroupEvent[];
}

export function planGroupHandover(input: GroupHandoverInput): GroupHandoverStep[] {
  const { fromWorkerId, toWorker, from, now } = input;
  if (toWorker.workerId === fromWorkerId) {
    throw new DomainRuleViolation('handover.same_worker', 'a worker cannot hand their groups over to themselves', { workerId: fromWorkerId });
  }
  const steps: GroupHandoverStep[] = [];
  for (const group of input.groups) {
    if (group.status !== 'active' || group.responsible?.workerId !== fromWorkerId) continue;
    const command: HandOverGroupResponsibility = { type: 'HandOverGroupResponsibility', data: { groupId: group.groupId, fromWorkerId, toWorker, from, now } };
    steps.push({ groupId: group.groupId, streamId: villagerGroupStreamId(group.groupId), command, events: decideVillagerGroup(command, group) });
  }
  return steps;
}
