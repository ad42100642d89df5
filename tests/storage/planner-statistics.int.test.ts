import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlannerStatistics } from '../../src/storage/planner-statistics';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { openTestDatabase, type TestDatabase } from '../support/test-database';
import { eventually } from '../support/wait';

/** The throttle of issue 20's ANALYZE after imports: by the log's growth, then by time. */
describe('planner statistics after bulk writes', () => {
  let database: TestDatabase;
  let store: SqlEventStore;
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg) });
  const append = async (n: number) => {
    for (let i = 0; i < n; i++) await store.append(`bench-${randomUUID()}`, [newEvent('A')], 'no_stream');
  };

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    store = new SqlEventStore(database, { notify: false });
  }, 120_000);
  afterAll(async () => database?.close());

  it('runs at the first bulk write, then only once the log grew by the fraction', async () => {
    const statistics = new PlannerStatistics(database, logger, { growthFraction: 0.5, minIntervalMs: 200 });
    await append(10);
    statistics.afterBulkWrite();
    await statistics.settled();
    expect(statistics.runs).toBe(1);

    // 4 events on 10 is under half: no ANALYZE, however long after.
    await append(4);
    statistics.afterBulkWrite();
    await statistics.settled();
    expect(statistics.runs).toBe(1);

    // 14 on 10 is over half: it runs, at the latest when the interval ends.
    await append(10);
    statistics.afterBulkWrite();
    statistics.afterBulkWrite();
    await statistics.settled();
    await eventually(() => expect(statistics.runs).toBe(2));
    await statistics.stop();
  });

  it('holds a due ANALYZE back for the rest of the interval', async () => {
    const statistics = new PlannerStatistics(database, logger, { growthFraction: 0.1, minIntervalMs: 3_600_000 });
    statistics.afterBulkWrite();
    await statistics.settled();
    expect(statistics.runs).toBe(1);
    await append(20);
    statistics.afterBulkWrite();
    await statistics.settled();
    expect(statistics.runs).toBe(1);
    await statistics.stop();
  });

  it('logs a failed ANALYZE instead of throwing, and runs nothing once stopped', async () => {
    const statistics = new PlannerStatistics(database, logger);
    await statistics.analyzeNow(['rm_no_such_table']);
    expect(statistics.runs).toBe(0);
    expect(warnings).toContain('ANALYZE after a bulk write failed; the planner keeps its old statistics');
    await statistics.analyzeNow(['rm_groups']);
    expect(statistics.runs).toBe(1);
    await statistics.stop();
    statistics.afterBulkWrite();
    await statistics.analyzeNow();
    expect(statistics.runs).toBe(1);
  });
});
