import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { FindingCauseSchema, OutcomeSchema, RiskCauseSchema, SeveritySchema, SourceSchema, type FindingCause, type Severity } from './vocabulary';

/**
 * One stream per person and cause (`detection-<cause>-<personId>`): the consistency boundary
 * for "the same person and cause within the window raises no second finding". Each finding
 * carries its task (one finding, one task); the task's assignee is not stored but computed
 * when read, from the household's group and who is responsible for it that day.
 */
const Day = z.iso.date();
const At = z.string().datetime();
const Uuid = z.string().uuid();

/** Who the finding is about. `groupId`: the household's group when found, or where an unregistered person was placed. */
export const FindingSubjectSchema = z.object({
  personId: Uuid,
  idNumber: z.string().length(18),
  name: z.string().min(1),
  matched: z.boolean(),
  householdId: Uuid.nullable(),
  groupId: Uuid.nullable(),
});
/** The import row that raised or escalated it. */
export const FindingOriginSchema = z.object({ importId: Uuid, source: SourceSchema, row: z.int().positive() });

export const FindingRaisedSchema = z.object({
  findingId: Uuid,
  taskId: Uuid,
  cause: FindingCauseSchema,
  severity: SeveritySchema,
  indicatedCauses: z.array(RiskCauseSchema),
  reasons: z.array(z.string()).min(1),
  subject: FindingSubjectSchema,
  origin: FindingOriginSchema,
  raisedOn: Day,
  deadline: Day,
  policyVersion: z.int().min(1),
  raisedAt: At,
});
export const FindingEscalatedSchema = z.object({
  findingId: Uuid,
  from: SeveritySchema,
  to: SeveritySchema,
  indicatedCauses: z.array(RiskCauseSchema),
  reasons: z.array(z.string()).min(1),
  origin: FindingOriginSchema,
  deadline: Day,
  /** The task had an outcome already: it opens again, the earlier outcome stays in history. */
  reopened: z.boolean(),
  escalatedOn: Day,
  escalatedAt: At,
});
export const TaskOutcomeRecordedSchema = z.object({
  findingId: Uuid,
  taskId: Uuid,
  outcome: OutcomeSchema,
  on: Day,
  /** The actor who recorded it (a worker id, or the bureau's user id). */
  recordedBy: z.string().min(1),
  recordedAt: At,
});
export const FindingPlacedSchema = z.object({ findingId: Uuid, groupId: Uuid, placedAt: At });

export type FindingEvent =
  | { type: 'FindingRaised'; data: z.infer<typeof FindingRaisedSchema> }
  | { type: 'FindingEscalated'; data: z.infer<typeof FindingEscalatedSchema> }
  | { type: 'TaskOutcomeRecorded'; data: z.infer<typeof TaskOutcomeRecordedSchema> }
  | { type: 'FindingPlaced'; data: z.infer<typeof FindingPlacedSchema> };

export const findingEvents = {
  FindingRaised: { schema: FindingRaisedSchema, version: 1 },
  FindingEscalated: { schema: FindingEscalatedSchema, version: 1 },
  TaskOutcomeRecorded: { schema: TaskOutcomeRecordedSchema, version: 1 },
  FindingPlaced: { schema: FindingPlacedSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
export interface FindingRecord {
  findingId: string;
  taskId: string;
  cause: FindingCause;
  severity: Severity;
  raisedOn: string;
  deadline: string;
  status: 'open' | 'closed';
  matched: boolean;
  groupId: string | null;
}

/** Every finding of this person and cause, oldest first; the last is the one a window refers to. */
export type FindingStreamState = { findings: FindingRecord[] };

export const initialFindingState = (): FindingStreamState => ({ findings: [] });

const update = (state: FindingStreamState, findingId: string, change: (f: FindingRecord) => FindingRecord): FindingStreamState => ({
  findings: state.findings.map((f) => (f.findingId === findingId ? change(f) : f)),
});

export function evolveFinding(state: FindingStreamState, event: FindingEvent): FindingStreamState {
  switch (event.type) {
    case 'FindingRaised': {
      const d = event.data;
      const record: FindingRecord = {
        findingId: d.findingId,
        taskId: d.taskId,
        cause: d.cause,
        severity: d.severity,
        raisedOn: d.raisedOn,
        deadline: d.deadline,
        status: 'open',
        matched: d.subject.matched,
        groupId: d.subject.groupId,
      };
      return { findings: [...state.findings, record] };
    }
    case 'FindingEscalated':
      return update(state, event.data.findingId, (f) => ({ ...f, severity: event.data.to, deadline: event.data.deadline, status: 'open' }));
    case 'TaskOutcomeRecorded':
      return update(state, event.data.findingId, (f) => ({ ...f, status: 'closed' }));
    case 'FindingPlaced':
      return update(state, event.data.findingId, (f) => ({ ...f, groupId: event.data.groupId }));
    default:
      return assertNever(event);
  }
}

export const findingStreamId = (cause: FindingCause, personId: string) => `detection-${cause}-${personId}`;
