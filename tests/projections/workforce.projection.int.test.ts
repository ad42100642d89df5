import { describe, it } from 'vitest';
import type { TrainingSessionEvent } from '../../src/domain/workforce/training-session.events';
import type { WorkerEvent } from '../../src/domain/workforce/worker.events';
import { workforceProjection } from '../../src/projections/workforce/workforce.projection';
import type { Db } from '../../src/storage/database';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(workforceProjection);
const AT = '2026-01-10T08:00:00.000Z';
const [workerId, villageWorker, townId, sessionId] = [1, 2, 3, 4].map((n) => `00000000-0000-4000-8000-0000000000f${n}`) as [string, string, string, string];

const registered: WorkerEvent = {
  type: 'WorkerRegistered',
  data: { workerId, name: '张社工', level: 'town', phone: '13800000000', nationalId: '110101199001011234', hiredOn: '2025-09-01', registeredAt: AT },
};
const certified = (level: 'assistant' | 'social_worker' | 'senior', certificateNumber: string): WorkerEvent => ({
  type: 'CertificationRecorded',
  data: { workerId, level, certificateNumber, certifiedOn: '2026-01-05', recordedAt: AT },
});
const workers = (db: Db) => db.selectFrom('rm_workers').select(['id', 'town_id', 'status', 'certification_level', 'left_on', 'version']).execute();

describe('workforce projection', () => {
  it('keeps the highest certificate held, whatever the order they are recorded in', async () => {
    await spec
      .given([
        registered,
        { type: 'WorkerPosted', data: { workerId, unit: { kind: 'town', townId }, from: '2025-09-01', previous: null, postedAt: AT } },
        certified('social_worker', 'B-1'),
        certified('assistant', 'A-1'),
      ])
      .expectRows(workers, [{ id: workerId, town_id: townId, status: 'employed', certification_level: 'social_worker', version: '4' }]);
  });

  it('keeps a link with its dates, and ends it', async () => {
    await spec
      .given([
        registered,
        { type: 'TownLinked', data: { workerId, townId, from: '2026-01-01', to: null, linkedAt: AT } },
        { type: 'VillageWorkerLinked', data: { workerId, villageWorkerId: villageWorker, from: '2026-01-01', to: null, linkedAt: AT } },
        { type: 'TownLinkEnded', data: { workerId, townId, from: '2026-01-01', to: '2026-06-30', endedAt: AT } },
      ])
      .expectRows(
        (db) => db.selectFrom('rm_worker_links').select(['kind', 'target_id', 'from_date', 'to_date']).orderBy('kind').execute(),
        [
          { kind: 'county_town_link', target_id: townId, from_date: '2026-01-01', to_date: '2026-06-30' },
          { kind: 'town_worker_link', target_id: villageWorker, from_date: '2026-01-01', to_date: null },
        ],
      );
  });

  it('records a departure and training attendance once per worker', async () => {
    const training: TrainingSessionEvent[] = [
      { type: 'TrainingSessionRecorded', data: { sessionId, title: '个案管理', heldOn: '2026-01-08', kind: 'all_staff', recordedAt: AT } },
      { type: 'TrainingAttendanceRecorded', data: { sessionId, workerIds: [workerId, villageWorker], recordedAt: AT } },
    ];
    await spec
      .given([registered, { type: 'WorkerLeft', data: { workerId, leftOn: '2026-03-31', recordedAt: AT } }])
      .expectRows(workers, [{ status: 'left', left_on: '2026-03-31', version: '2' }]);
    await spec.given(training).expectRows(
      (db) => db.selectFrom('rm_training_attendance').select(['session_id', 'worker_id']).orderBy('worker_id').execute(),
      [
        { session_id: sessionId, worker_id: workerId },
        { session_id: sessionId, worker_id: villageWorker },
      ],
    );
  });
});
