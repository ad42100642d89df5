import { describe, it } from 'vitest';
import { mentoringPairDecider, type FormMentoringPair } from '../../src/domain/workforce/mentoring-pair.decide';
import { mentoringPairEvents, type MentoringPairEvent } from '../../src/domain/workforce/mentoring-pair.events';
import type { WorkerFacts } from '../../src/domain/workforce/worker-facts';
import { given, NOW, uuid } from './decider-spec';

const pairId = uuid(50);
const mentor: WorkerFacts = { workerId: uuid(101), level: 'town', status: 'employed' };
const mentee: WorkerFacts = { workerId: uuid(102), level: 'village', status: 'employed' };
const form = (data: Partial<FormMentoringPair['data']> = {}): FormMentoringPair => ({
  type: 'FormMentoringPair',
  data: { pairId, mentor, mentee, from: '2026-01-01', to: null, now: NOW, ...data },
});
const formed: MentoringPairEvent = {
  type: 'MentoringPairFormed',
  data: { pairId, mentorId: mentor.workerId, menteeId: mentee.workerId, from: '2026-01-01', to: null, formedAt: NOW },
};
const pair = (history: MentoringPairEvent[]) => given(mentoringPairDecider, history, mentoringPairEvents);

describe('mentoring pairs (老带新)', () => {
  it('given two employed workers, forming a pair records mentor, mentee and period', () => {
    pair([]).when(form()).then([formed]);
  });
  it('given a formed pair, forming it again is refused', () => {
    pair([formed]).when(form()).thenThrows('mentoring.already_formed');
  });
  it('given one worker as both mentor and mentee, forming is refused', () => {
    pair([])
      .when(form({ mentee: { ...mentor } }))
      .thenThrows('mentoring.same_worker');
  });
  it('given a mentee who has left, forming is refused', () => {
    pair([])
      .when(form({ mentee: { ...mentee, status: 'left' } }))
      .thenThrows('mentoring.worker_left', { workerIds: [mentee.workerId] });
  });
  it('given a period ending before it starts, forming is refused', () => {
    pair([])
      .when(form({ to: '2025-01-01' }))
      .thenThrows('assignment.period_invalid');
  });
  it('given an open-ended pair, ending it records the end date', () => {
    pair([formed])
      .when({ type: 'EndMentoringPair', data: { pairId, to: '2026-07-01', now: NOW } })
      .then([{ type: 'MentoringPairEnded', data: { pairId, to: '2026-07-01', endedAt: NOW } }]);
  });
  it('given a pair already ended by then, ending it (later) is refused', () => {
    const ended: MentoringPairEvent = { type: 'MentoringPairEnded', data: { pairId, to: '2026-07-01', endedAt: NOW } };
    pair([formed, ended])
      .when({ type: 'EndMentoringPair', data: { pairId, to: '2026-08-01', now: NOW } })
      .thenThrows('mentoring.already_ended');
  });
  it('given a pair, ending it before it began is refused; given none, ending is refused', () => {
    pair([formed])
      .when({ type: 'EndMentoringPair', data: { pairId, to: '2025-07-01', now: NOW } })
      .thenThrows('assignment.period_invalid');
    pair([])
      .when({ type: 'EndMentoringPair', data: { pairId, to: '2026-07-01', now: NOW } })
      .thenThrows('mentoring.not_formed');
  });
});
