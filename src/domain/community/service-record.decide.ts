import { z } from 'zod';
import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { MAX_MINUTES_PER_ENTRY, refuseFuture } from './community-vocabulary';
import { evolveServiceRecord, type ServiceRecordEvent, type ServiceRecordState, type VolunteerServiceRecordedSchema } from './service-record.events';

/**
 * Facts the application looked up for the service date: which of the named volunteers were
 * registered that day, who was a member of each named team that day, and the project's period
 * (inclusive: a contract runs to and including its end date).
 */
export interface ServiceFacts {
  registeredVolunteerIds: readonly string[];
  teamMembersOnDate: Readonly<Record<string, readonly string[]>>;
  project: { projectId: string; from: string; to: string | null; closedOn: string | null } | null;
}

type Recorded = Omit<z.infer<typeof VolunteerServiceRecordedSchema>, 'recordedAt'>;

export type ServiceRecordCommand =
  | { type: 'RecordService'; data: Recorded & { facts: ServiceFacts; today: string; now: string } }
  | { type: 'VoidService'; data: { reason: string; now: string } };

function refuseParticipants(record: Recorded, facts: ServiceFacts): void {
  const seen = new Set<string>();
  for (const p of record.participants) {
    if (seen.has(p.volunteerId))
      throw new DomainRuleViolation('service_record.duplicate_volunteer', 'a volunteer appears twice; give one entry with their total minutes', {
        volunteerId: p.volunteerId,
      });
    seen.add(p.volunteerId);
    if (!Number.isInteger(p.minutes) || p.minutes < 1 || p.minutes > MAX_MINUTES_PER_ENTRY) {
      throw new DomainRuleViolation('service_record.minutes_out_of_range', `minutes are a whole number from 1 to ${MAX_MINUTES_PER_ENTRY}`, {
        volunteerId: p.volunteerId,
        minutes: p.minutes,
      });
    }
    if (!facts.registeredVolunteerIds.includes(p.volunteerId)) {
      throw new DomainRuleViolation('service_record.volunteer_not_registered', `the volunteer was not a registered volunteer on ${record.date}`, {
        volunteerId: p.volunteerId,
        date: record.date,
      });
    }
    if (p.teamId && !(facts.teamMembersOnDate[p.teamId] ?? []).includes(p.volunteerId)) {
      throw new DomainRuleViolation('service_record.not_team_member', `the volunteer was not a member of that team on ${record.date}`, {
        volunteerId: p.volunteerId,
        teamId: p.teamId,
        date: record.date,
      });
    }
  }
}

function refuseProjectPeriod(record: Recorded, facts: ServiceFacts): void {
  const project = facts.project;
  if (!project || record.projectId === null) return;
  const end = [project.to, project.closedOn].filter((d): d is string => d !== null).sort()[0] ?? null;
  if (record.date < project.from || (end !== null && record.date > end)) {
    throw new DomainRuleViolation('service_record.outside_project_period', `the project runs from ${project.from}${end ? ` to ${end}` : ''}`, {
      projectId: project.projectId,
      from: project.from,
      to: end,
      date: record.date,
    });
  }
}

export function decideServiceRecord(command: ServiceRecordCommand, state: ServiceRecordState): ServiceRecordEvent[] {
  switch (command.type) {
    case 'RecordService': {
      const { facts, today, now, ...record } = command.data;
      if (state.status !== 'none')
        throw new DomainRuleViolation('service_record.already_recorded', 'this service record already exists', { recordId: record.recordId });
      refuseFuture('service_record.date_in_future', 'the service date', record.date, today);
      // Hours need volunteers; a provider's project activity needs its project. One of them, at least.
      if (record.participants.length === 0 && record.projectId === null) {
        throw new DomainRuleViolation('service_record.empty', 'a service record names the volunteers who served, or the project it belongs to', {});
      }
      refuseParticipants(record, facts);
      if (record.childrenServed > record.peopleServed) {
        throw new DomainRuleViolation('service_record.children_exceed_people', 'more children served than people served', {
          peopleServed: record.peopleServed,
          childrenServed: record.childrenServed,
        });
      }
      const households = [...new Set(record.householdIds)];
      if (record.peopleServed < households.length) {
        throw new DomainRuleViolation('service_record.people_below_households', 'each household served counts at least one person', {
          peopleServed: record.peopleServed,
          households: households.length,
        });
      }
      refuseProjectPeriod(record, facts);
      return [
        { type: 'VolunteerServiceRecorded', data: { ...record, householdIds: households, servedGroups: [...new Set(record.servedGroups)], recordedAt: now } },
      ];
    }
    case 'VoidService': {
      if (state.status !== 'recorded') {
        throw new IllegalStateError(
          state.status === 'voided' ? 'service_record.already_voided' : 'service_record.not_recorded',
          `the service record is ${state.status}`,
          state.status,
          ['recorded'],
        );
      }
      return [{ type: 'VolunteerServiceVoided', data: { recordId: state.recordId, reason: command.data.reason, voidedAt: command.data.now } }];
    }
    default:
      return assertNever(command);
  }
}

export const serviceRecordDecider: Decider<ServiceRecordCommand, ServiceRecordEvent, ServiceRecordState> = {
  decide: decideServiceRecord,
  evolve: evolveServiceRecord,
  initialState: () => ({ status: 'none' }),
};
