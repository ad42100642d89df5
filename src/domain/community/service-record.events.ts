import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { AtSchema, DaySchema, MinutesSchema, ServedGroupSchema, UuidSchema } from './community-vocabulary';

/**
 * A service activity (志愿服务记录): who served, for how long, with which team, whom it served,
 * and the project it belongs to. Facts are never edited; a wrong record is voided and recorded again.
 */
export const ParticipantSchema = z.object({
  volunteerId: UuidSchema,
  /** The team the volunteer served with (they must be a member on the day), or null. */
  teamId: UuidSchema.nullable(),
  minutes: MinutesSchema,
});
export type Participant = z.infer<typeof ParticipantSchema>;

export const VolunteerServiceRecordedSchema = z.object({
  recordId: UuidSchema,
  activity: z.string().min(1),
  date: DaySchema,
  townId: UuidSchema,
  villageId: UuidSchema.nullable(),
  projectId: UuidSchema.nullable(),
  participants: z.array(ParticipantSchema),
  householdIds: z.array(UuidSchema),
  servedGroups: z.array(ServedGroupSchema),
  /** Person count (人次) reached by the activity, and how many of them were children. */
  peopleServed: z.number().int().min(0),
  childrenServed: z.number().int().min(0),
  note: z.string(),
  recordedAt: AtSchema,
});
export const VolunteerServiceVoidedSchema = z.object({ recordId: UuidSchema, reason: z.string().min(1), voidedAt: AtSchema });

export type ServiceRecordEvent =
  | { type: 'VolunteerServiceRecorded'; data: z.infer<typeof VolunteerServiceRecordedSchema> }
  | { type: 'VolunteerServiceVoided'; data: z.infer<typeof VolunteerServiceVoidedSchema> };

export const serviceRecordEvents = {
  VolunteerServiceRecorded: { schema: VolunteerServiceRecordedSchema, version: 1 },
  VolunteerServiceVoided: { schema: VolunteerServiceVoidedSchema, version: 1 },
} satisfies EventCatalog;

export type ServiceRecordState = { status: 'none' } | { status: 'recorded' | 'voided'; recordId: string };

export function evolveServiceRecord(state: ServiceRecordState, event: ServiceRecordEvent): ServiceRecordState {
  switch (event.type) {
    case 'VolunteerServiceRecorded':
      return { status: 'recorded', recordId: event.data.recordId };
    case 'VolunteerServiceVoided':
      return state.status === 'none' ? state : { ...state, status: 'voided' };
    default:
      return assertNever(event);
  }
}

export const serviceRecordStreamId = (recordId: string) => `volunteer-service-${recordId}`;
