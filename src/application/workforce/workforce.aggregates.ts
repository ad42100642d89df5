import { mentoringPairDecider } from '../../domain/workforce/mentoring-pair.decide';
import { mentoringPairEvents, mentoringPairStreamId } from '../../domain/workforce/mentoring-pair.events';
import { trainingSessionDecider } from '../../domain/workforce/training-session.decide';
import { trainingSessionEvents, trainingSessionStreamId } from '../../domain/workforce/training-session.events';
import { workerDecider } from '../../domain/workforce/worker.decide';
import { workerEvents, workerStreamId } from '../../domain/workforce/worker.events';
import { defineAggregate } from '../aggregate';

export const workers = defineAggregate({ name: 'worker', streamId: workerStreamId, decider: workerDecider, catalog: workerEvents });
export const trainingSessions = defineAggregate({
  name: 'training session',
  streamId: trainingSessionStreamId,
  decider: trainingSessionDecider,
  catalog: trainingSessionEvents,
});
export const mentoringPairs = defineAggregate({
  name: 'mentoring pair',
  streamId: mentoringPairStreamId,
  decider: mentoringPairDecider,
  catalog: mentoringPairEvents,
});
