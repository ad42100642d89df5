import { z } from 'zod';
import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolation } from '../shared/errors';
import type { EventCatalog } from '../shared/event-schemas';
import { daysBetween } from '../calendar/calendar-months';

export const VisitKindSchema = z.enum(['routine', 'review', 'emergency', 'care', 'alert_follow_up']);
export type VisitKind = z.infer<typeof VisitKindSchema>;

export const VisitRecordedSchema = z.object({
  visitId: z.string().uuid(),
  workerId: z.string().uuid(),
  householdId: z.string().uuid().nullable(),
  groupId: z.string().uuid(),
  date: z.iso.date(),
  kind: VisitKindSchema,
  findings: z.string(),
  followUpActions: z.array(z.string()),
  peopleServed: z.number().int().min(0),
  /** Recorded after the day it happened, within the policy's back-dating window. */
  late: z.boolean(),
  policyVersion: z.number().int(),
  recordedAt: z.string().datetime(),
});
export type VisitEvent = { type: 'VisitRecorded'; data: z.infer<typeof VisitRecordedSchema> };
export const visitEvents = { VisitRecorded: { schema: VisitRecordedSchema, version: 1 } } satisfies EventCatalog;

export type VisitState = { status: 'none' } | { status: 'recorded'; visitId: string };

/**
 * `today` is the county's date when the command arrives; `backdateWindowDays` and
 * `policyVersion` come from the schedule policy in force on that day.
 */
export type RecordVisit = {
  type: 'RecordVisit';
  data: Omit<z.infer<typeof VisitRecordedSchema>, 'late' | 'recordedAt' | 'policyVersion'> & {
    today: string;
    backdateWindowDays: number;
    policyVersion: number;
    now: string;
  };
};

export function decideVisit(command: RecordVisit, state: VisitState): VisitEvent[] {
  switch (command.type) {
    case 'RecordVisit': {
      if (state.status !== 'none') throw new DomainRuleViolation('visit.already_recorded', 'this visit is already recorded', { visitId: state.visitId });
      const { today, backdateWindowDays, now, ...visit } = command.data;
      if (visit.date > today)
        throw new DomainRuleViolation('visit.date_in_future', `a visit on ${visit.date} has not happened yet (today is ${today})`, { date: visit.date, today });
      const age = daysBetween(visit.date, today);
      if (age > backdateWindowDays) {
        throw new DomainRuleViolation(
          'visit.backdated_too_far',
          `a visit may be recorded up to ${backdateWindowDays} days late; ${visit.date} is ${age} days ago`,
          {
            date: visit.date,
            today,
            backdateWindowDays,
          },
        );
      }
      return [{ type: 'VisitRecorded', data: { ...visit, late: age > 0, recordedAt: now } }];
    }
    default:
      return assertNever(command.type);
  }
}

export const visitDecider: Decider<RecordVisit, VisitEvent, VisitState> = {
  decide: decideVisit,
  evolve: (_state, event) => ({ status: 'recorded', visitId: event.data.visitId }),
  initialState: () => ({ status: 'none' }),
};

export const visitStreamId = (visitId: string) => `visit-${visitId}`;
