import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasksOnTimeSource } from '../../src/application/detection/tasks-metric-source';
import { parsePeriod } from '../../src/domain/performance/period';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

describe('tasks answered within their deadline, as a performance metric', () => {
  let database: TestDatabase;
  const [workerA, workerB, group] = [randomUUID(), randomUUID(), randomUUID()];
  beforeAll(async () => {
    database = await openTestDatabase();
    // A held the group until 10 March, B from then on.
    await sql`insert into rm_group_responsibilities (group_id, worker_id, from_date, to_date) values
      (${group}, ${workerA}, '2026-01-01', '2026-03-10'), (${group}, ${workerB}, '2026-03-10', null)`.execute(database.db);
    const task = (deadline: string, outcomeOn: string | null) =>
      sql`
      insert into rm_detection_findings (id, task_id, stream_id, person_id, id_number, name, cause, indicated_causes, severity, status, raised_on, deadline,
        matched, household_id, group_id, source, import_id, row_no, reasons, policy_version, outcome_on, version, updated_at)
      values (${randomUUID()}, ${randomUUID()}, 's', ${randomUUID()}, 'x', 'x', 'illness', '[]', 'high', ${outcomeOn ? 'closed' : 'open'}, '2026-02-01', ${deadline},
        true, ${randomUUID()}, ${group}, 'health', ${randomUUID()}, 1, '[]', 1, ${outcomeOn}, 1, now())`.execute(database.db);
    await task('2026-02-10', '2026-02-08'); // A, on time
    await task('2026-03-05', '2026-03-07'); // A, late
    await task('2026-03-09', null); // A, never answered: missed
    await task('2026-03-20', '2026-03-20'); // B, on time (deadline fell after the handover)
    await task('2026-04-30', null); // B, not due yet on the day asked: pending
  });
  afterAll(async () => database?.close());

  it('counts each task for whoever held the group on its deadline, leaving out what is not yet due', async () => {
    const workers = [workerA, workerB].map((workerId) => ({ workerId, name: 'w', level: 'village', townId: null, hiredOn: '2025-01-01', leftOn: null }));
    const result = await tasksOnTimeSource.measure(database.db, { period: parsePeriod('2026-H1'), asOf: '2026-04-01', policy: {} as never, workers });
    expect(result.get(workerA)![0]).toMatchObject({ key: 'tasks_on_time', met: 1, total: 3 });
    expect(result.get(workerB)![0]).toMatchObject({ key: 'tasks_on_time', met: 1, total: 1 });
    expect(result.get(workerA)![0]!.evidence.map((e) => [e.date, e.met])).toEqual([
      ['2026-02-10', true],
      ['2026-03-05', false],
      ['2026-03-09', false],
    ]);
  });
});
