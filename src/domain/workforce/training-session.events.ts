import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { IsoDateSchema } from './period';

/*
 * A training session is its own aggregate (not a list on each worker): it is counted in the
 * coverage totals by kind ("15 all-staff trainings, 30+ video sessions") and is attended by
 * many workers; see the note in worker.events.ts.
 */

/** 全员培训 / 视频培训 / 外出培训. */
export const TrainingKindSchema = z.enum(['all_staff', 'video', 'external']);
export type TrainingKind = z.infer<typeof TrainingKindSchema>;

// ── Events ───────────────────────────────────────────────────────────────────
export const TrainingSessionRecordedSchema = z.object({
  sessionId: z.string().uuid(),
  title: z.string().min(1),
  heldOn: IsoDateSchema,
  kind: TrainingKindSchema,
  recordedAt: z.string().datetime(),
});
export type TrainingSessionRecorded = { type: 'TrainingSessionRecorded'; data: z.infer<typeof TrainingSessionRecordedSchema> };

/** Only the workers newly recorded as attending; repeats are dropped by the decider. */
export const TrainingAttendanceRecordedSchema = z.object({
  sessionId: z.string().uuid(),
  workerIds: z.array(z.string().uuid()).min(1),
  recordedAt: z.string().datetime(),
});
export type TrainingAttendanceRecorded = { type: 'TrainingAttendanceRecorded'; data: z.infer<typeof TrainingAttendanceRecordedSchema> };

export type TrainingSessionEvent = TrainingSessionRecorded | TrainingAttendanceRecorded;

export const trainingSessionEvents = {
  TrainingSessionRecorded: { schema: TrainingSessionRecordedSchema, version: 1 },
  TrainingAttendanceRecorded: { schema: TrainingAttendanceRecordedSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
export type RecordedTrainingSession = { status: 'recorded'; sessionId: string; heldOn: string; kind: TrainingKind; attendees: string[] };
export type TrainingSessionState = { status: 'unrecorded' } | RecordedTrainingSession;

export const initialTrainingSessionState = (): TrainingSessionState => ({ status: 'unrecorded' });

export function evolveTrainingSession(state: TrainingSessionState, event: TrainingSessionEvent): TrainingSessionState {
  switch (event.type) {
    case 'TrainingSessionRecorded': {
      const { sessionId, heldOn, kind } = event.data;
      return { status: 'recorded', sessionId, heldOn, kind, attendees: [] };
    }
    case 'TrainingAttendanceRecorded':
      return state.status === 'unrecorded' ? state : { ...state, attendees: [...state.attendees, ...event.data.workerIds] };
    default:
      return assertNever(event);
  }
}

export const trainingSessionStreamId = (sessionId: string) => `training-session-${sessionId}`;
