import { z } from 'zod';
import type { Decider } from '../../shared/decider';
import { DomainRuleViolation } from '../../shared/errors';
import type { EventCatalog } from '../../shared/event-schemas';

/**
 * Policy versions and working-day calendars are immutable documents: each is its own stream,
 * written once. "Changing" a policy is adding a new version with a later effective date.
 */
export const PolicyVersionAddedSchema = z.object({
  policy: z.record(z.string(), z.unknown()),
  contentHash: z.string().length(64),
  addedAt: z.string().datetime(),
});
export const CalendarAddedSchema = z.object({
  calendar: z.record(z.string(), z.unknown()),
  contentHash: z.string().length(64),
  addedAt: z.string().datetime(),
});

export type RegistryEvent =
  | { type: 'PolicyVersionAdded'; data: z.infer<typeof PolicyVersionAddedSchema> }
  | { type: 'WorkingDayCalendarAdded'; data: z.infer<typeof CalendarAddedSchema> };

export const registryEvents = {
  PolicyVersionAdded: { schema: PolicyVersionAddedSchema, version: 1 },
  WorkingDayCalendarAdded: { schema: CalendarAddedSchema, version: 1 },
} satisfies EventCatalog;

export type AddDocument = {
  type: 'AddDocument';
  data: { kind: 'policy' | 'calendar'; id: string; body: Record<string, unknown>; contentHash: string; now: string };
};
export type DocumentState = { exists: boolean; contentHash: string | null };

export const documentDecider: Decider<AddDocument, RegistryEvent, DocumentState> = {
  initialState: () => ({ exists: false, contentHash: null }),
  evolve: (_s, e) => ({ exists: true, contentHash: e.data.contentHash }),
  decide(command, state) {
    const { kind, id, body, contentHash, now } = command.data;
    if (state.exists) {
      throw new DomainRuleViolation(`${kind}.version_immutable`, `${kind} ${id} already exists and cannot be changed; add a new version with its own id`, {
        id,
        contentHash: state.contentHash,
      });
    }
    return kind === 'policy'
      ? [{ type: 'PolicyVersionAdded', data: { policy: body, contentHash, addedAt: now } }]
      : [{ type: 'WorkingDayCalendarAdded', data: { calendar: body, contentHash, addedAt: now } }];
  },
};

export const policyStreamId = (id: string) => `assistance-policy-${id}`;
export const calendarStreamId = (id: string) => `working-day-calendar-${id}`;
