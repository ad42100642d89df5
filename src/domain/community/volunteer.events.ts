import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { AtSchema, DaySchema, UuidSchema } from './community-vocabulary';

// ── Events ───────────────────────────────────────────────────────────────────
export const VolunteerRegisteredSchema = z.object({
  volunteerId: UuidSchema,
  name: z.string().min(1),
  /** Normalised GB 11643 number: personal data, masked on reads for every role but admin. */
  nationalId: z.string().length(18),
  phone: z.string().min(1),
  skills: z.array(z.string().min(1)),
  townId: UuidSchema,
  villageId: UuidSchema.nullable(),
  registeredOn: DaySchema,
  registeredAt: AtSchema,
});
export const VolunteerProfileUpdatedSchema = z.object({
  volunteerId: UuidSchema,
  phone: z.string().min(1),
  skills: z.array(z.string().min(1)),
  updatedAt: AtSchema,
});
export const VolunteerWithdrawnSchema = z.object({ volunteerId: UuidSchema, on: DaySchema, reason: z.string().min(1), withdrawnAt: AtSchema });

export type VolunteerEvent =
  | { type: 'VolunteerRegistered'; data: z.infer<typeof VolunteerRegisteredSchema> }
  | { type: 'VolunteerProfileUpdated'; data: z.infer<typeof VolunteerProfileUpdatedSchema> }
  | { type: 'VolunteerWithdrawn'; data: z.infer<typeof VolunteerWithdrawnSchema> };

export const volunteerEvents = {
  VolunteerRegistered: { schema: VolunteerRegisteredSchema, version: 1 },
  VolunteerProfileUpdated: { schema: VolunteerProfileUpdatedSchema, version: 1 },
  VolunteerWithdrawn: { schema: VolunteerWithdrawnSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
interface KnownVolunteer {
  volunteerId: string;
  registeredOn: string;
  withdrawnOn: string | null;
  phone: string;
  skills: string[];
}

export type VolunteerState = { status: 'unregistered' } | (KnownVolunteer & { status: 'registered' }) | (KnownVolunteer & { status: 'withdrawn' });

export const initialVolunteerState = (): VolunteerState => ({ status: 'unregistered' });

export function evolveVolunteer(state: VolunteerState, event: VolunteerEvent): VolunteerState {
  if (event.type === 'VolunteerRegistered') {
    const d = event.data;
    return { status: 'registered', volunteerId: d.volunteerId, registeredOn: d.registeredOn, withdrawnOn: null, phone: d.phone, skills: d.skills };
  }
  if (state.status === 'unregistered') return state;
  switch (event.type) {
    case 'VolunteerProfileUpdated':
      return { ...state, phone: event.data.phone, skills: event.data.skills };
    case 'VolunteerWithdrawn':
      return { ...state, status: 'withdrawn', withdrawnOn: event.data.on };
    default:
      return assertNever(event);
  }
}

export const volunteerStreamId = (volunteerId: string) => `volunteer-${volunteerId}`;
