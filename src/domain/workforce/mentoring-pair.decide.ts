import type { Decider } from '../shared/decider';
import { assertNever } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { evolveMentoringPair, initialMentoringPairState, type MentoringPairEvent, type MentoringPairState } from './mentoring-pair.events';
import { assertPeriod } from './period';
import type { WorkerFacts } from './worker-facts';

// ── Commands ─────────────────────────────────────────────────────────────────
/** `mentor`, `mentee`: looked up by the application. */
export type FormMentoringPair = {
  type: 'FormMentoringPair';
  data: { pairId: string; mentor: WorkerFacts; mentee: WorkerFacts; from: string; to: string | null; now: string };
};

/** Ends the pair early, or ends an open-ended one. */
export type EndMentoringPair = {
  type: 'EndMentoringPair';
  data: { pairId: string; to: string; now: string };
};

export type MentoringPairCommand = FormMentoringPair | EndMentoringPair;

export function decideMentoringPair(command: MentoringPairCommand, state: MentoringPairState): MentoringPairEvent[] {
  switch (command.type) {
    case 'FormMentoringPair': {
      if (state.status !== 'unformed') {
        throw new DomainRuleViolation('mentoring.already_formed', `mentoring pair ${state.pairId} already exists`, { pairId: state.pairId });
      }
      const { pairId, mentor, mentee, from, to, now } = command.data;
      if (mentor.workerId === mentee.workerId) {
        throw new DomainRuleViolation('mentoring.same_worker', 'a worker cannot mentor themselves', { workerId: mentor.workerId });
      }
      const left = [mentor, mentee].filter((w) => w.status !== 'employed').map((w) => w.workerId);
      if (left.length > 0) throw new DomainRuleViolation('mentoring.worker_left', `worker(s) ${left.join(', ')} have left`, { workerIds: left });
      assertPeriod(from, to);
      return [{ type: 'MentoringPairFormed', data: { pairId, mentorId: mentor.workerId, menteeId: mentee.workerId, from, to, formedAt: now } }];
    }
    case 'EndMentoringPair': {
      if (state.status === 'unformed') throw new IllegalStateError('mentoring.not_formed', 'the mentoring pair does not exist', state.status, ['formed']);
      const { to, now } = command.data;
      // Ending can only shorten: a pair already over by then has nothing left to end.
      if (state.to !== null && state.to <= to) {
        throw new DomainRuleViolation('mentoring.already_ended', `the pair already ends on ${state.to}`, { pairId: state.pairId, to: state.to });
      }
      assertPeriod(state.from, to);
      return [{ type: 'MentoringPairEnded', data: { pairId: state.pairId, to, endedAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

export const mentoringPairDecider: Decider<MentoringPairCommand, MentoringPairEvent, MentoringPairState> = {
  decide: decideMentoringPair,
  evolve: evolveMentoringPair,
  initialState: initialMentoringPairState,
};
