import { describe, it } from 'vitest';
import { trainingSessionDecider, type AttendeeFacts } from '../../src/domain/workforce/training-session.decide';
import { trainingSessionEvents, type TrainingSessionEvent } from '../../src/domain/workforce/training-session.events';
import { given, NOW, uuid } from './decider-spec';

const sessionId = uuid(40);
const recorded: TrainingSessionEvent = {
  type: 'TrainingSessionRecorded',
  data: { sessionId, title: '社会救助政策全员培训', heldOn: '2026-02-10', kind: 'all_staff', recordedAt: NOW },
};
const a: AttendeeFacts = { workerId: uuid(101), hiredOn: '2024-01-01', leftOn: null };
const b: AttendeeFacts = { workerId: uuid(102), hiredOn: '2024-01-01', leftOn: '2026-05-01' };
const attend = (attendees: AttendeeFacts[]) => ({ type: 'RecordTrainingAttendance' as const, data: { sessionId, attendees, now: NOW } });
const session = (history: TrainingSessionEvent[]) => given(trainingSessionDecider, history, trainingSessionEvents);

describe('training sessions and attendance', () => {
  it('given no session, recording one keeps title, date and kind', () => {
    session([])
      .when({ type: 'RecordTrainingSession', data: { sessionId, title: '社会救助政策全员培训', heldOn: '2026-02-10', kind: 'all_staff', now: NOW } })
      .then([recorded]);
  });
  it('given a recorded session, recording it again is refused', () => {
    session([recorded])
      .when({ type: 'RecordTrainingSession', data: { sessionId, title: 'x', heldOn: '2026-02-10', kind: 'video', now: NOW } })
      .thenThrows('training.already_recorded');
  });
  it('given a session, attendance of workers employed that day is recorded, including one who left since', () => {
    session([recorded])
      .when(attend([a, b, a]))
      .then([{ type: 'TrainingAttendanceRecorded', data: { sessionId, workerIds: [a.workerId, b.workerId], recordedAt: NOW } }]);
  });
  it('given attendance already recorded, only new attendees are added; none new changes nothing', () => {
    const first: TrainingSessionEvent = { type: 'TrainingAttendanceRecorded', data: { sessionId, workerIds: [a.workerId], recordedAt: NOW } };
    session([recorded, first])
      .when(attend([a, b]))
      .then([{ type: 'TrainingAttendanceRecorded', data: { sessionId, workerIds: [b.workerId], recordedAt: NOW } }]);
    session([recorded, first])
      .when(attend([a]))
      .then([]);
  });
  it('given a session, a worker not yet hired or already gone that day is refused', () => {
    const late: AttendeeFacts = { workerId: uuid(103), hiredOn: '2026-03-01', leftOn: null };
    const gone: AttendeeFacts = { workerId: uuid(104), hiredOn: '2024-01-01', leftOn: '2026-02-10' };
    session([recorded])
      .when(attend([a, late, gone]))
      .thenThrows('training.attendee_not_employed', { workerIds: [late.workerId, gone.workerId] });
  });
  it('given no session, recording attendance is refused', () => {
    session([])
      .when(attend([a]))
      .thenThrows('training.not_recorded');
  });
});
