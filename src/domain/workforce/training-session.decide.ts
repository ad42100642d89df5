import type { Decider } from '../shared/decider';
import { assertNever } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import {
  evolveTrainingSession,
  initialTrainingSessionState,
  type TrainingKind,
  type TrainingSessionEvent,
  type TrainingSessionState,
} from './training-session.events';

// ── Commands ─────────────────────────────────────────────────────────────────
export type RecordTrainingSession = {
  type: 'RecordTrainingSession';
  data: { sessionId: string; title: string; heldOn: string; kind: TrainingKind; now: string };
};

/**
 * `attendees`: each worker's employment period, looked up by the application, so attendance can
 * be recorded after the fact even for a worker who has since left.
 */
export type AttendeeFacts = { workerId: string; hiredOn: string; leftOn: string | null };
export type RecordTrainingAttendance = {
  type: 'RecordTrainingAttendance';
  data: { sessionId: string; attendees: AttendeeFacts[]; now: string };
};

export type TrainingSessionCommand = RecordTrainingSession | RecordTrainingAttendance;

const employedOn = (a: AttendeeFacts, day: string) => a.hiredOn <= day && (a.leftOn === null || a.leftOn > day);

export function decideTrainingSession(command: TrainingSessionCommand, state: TrainingSessionState): TrainingSessionEvent[] {
  switch (command.type) {
    case 'RecordTrainingSession': {
      if (state.status !== 'unrecorded') {
        throw new DomainRuleViolation('training.already_recorded', `training session ${state.sessionId} is already recorded`, { sessionId: state.sessionId });
      }
      const { sessionId, title, heldOn, kind, now } = command.data;
      return [{ type: 'TrainingSessionRecorded', data: { sessionId, title, heldOn, kind, recordedAt: now } }];
    }
    case 'RecordTrainingAttendance': {
      if (state.status === 'unrecorded')
        throw new IllegalStateError('training.not_recorded', 'the training session is not recorded', state.status, ['recorded']);
      const notEmployed = command.data.attendees.filter((a) => !employedOn(a, state.heldOn)).map((a) => a.workerId);
      if (notEmployed.length > 0) {
        throw new DomainRuleViolation('training.attendee_not_employed', `not employed on ${state.heldOn}: ${notEmployed.join(', ')}`, {
          heldOn: state.heldOn,
          workerIds: notEmployed,
        });
      }
      const fresh = [...new Set(command.data.attendees.map((a) => a.workerId))].filter((id) => !state.attendees.includes(id));
      if (fresh.length === 0) return [];
      return [{ type: 'TrainingAttendanceRecorded', data: { sessionId: state.sessionId, workerIds: fresh, recordedAt: command.data.now } }];
    }
    default:
      return assertNever(command);
  }
}

export const trainingSessionDecider: Decider<TrainingSessionCommand, TrainingSessionEvent, TrainingSessionState> = {
  decide: decideTrainingSession,
  evolve: evolveTrainingSession,
  initialState: initialTrainingSessionState,
};
