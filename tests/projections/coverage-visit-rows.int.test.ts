import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src/application/event-store';
import { coverageProjection } from '../../src/projections/coverage/coverage.projection';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { fastAndSlowStores } from '../support/counted-statements';
import { newEvent } from '../support/events';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const backends = await availableBackends();

function visit(groupId: string, date: string, householdId: string | null, peopleServed: number): NewEvent {
  return newEvent(
    'VisitRecorded',
    {
      visitId: randomUUID(),
      workerId: randomUUID(),
      householdId,
      groupId,
      date,
      kind: 'routine',
      findings: '走访',
      followUpActions: [],
      peopleServed,
      late: false,
      recordedAt: `${date}T08:00:00.000Z`,
      policyVersion: 1,
    },
    { recordedAt: `${date}T08:00:00.000Z` },
  );
}

const months = (db: TestDatabase, groupId: string) =>
  sql<{ month: string; visits: number; households: number; people_served: number }>`
    select month, visits, households, people_served from rm_coverage_group_months where group_id = ${groupId} order by month`
    .execute(db.db)
    .then((r) => r.rows);
const visitRows = (db: TestDatabase, groupId: string) =>
  sql<{ month: string; household_id: string | null; people_served: number }>`
    select month, household_id, people_served from rm_coverage_visits where group_id = ${groupId} order by month, people_served`
    .execute(db.db)
    .then((r) => r.rows);

describe.each(backends)('coverage: a group visit counted in the append statement on %s', (backend) => {
  let database: TestDatabase;
  let fast: SqlEventStore;
  let slow: SqlEventStore;
  const statements: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    // `slow`: the same projection without its rows, the transaction path, the reference.
    ({ fast, slow } = fastAndSlowStores(database, [coverageProjection], statements));
  });
  afterAll(async () => database?.close());

  /** The same visits to a fresh group through `store`, one append each; the group's id. */
  async function record(store: SqlEventStore, plan: readonly [date: string, household: string | null, people: number][]): Promise<string> {
    const groupId = randomUUID();
    for (const [date, household, people] of plan) await store.append(`visit-${randomUUID()}`, [visit(groupId, date, household, people)], 'no_stream');
    return groupId;
  }

  it('writes the rows the transaction writes, each visit in one statement', async () => {
    const household = randomUUID();
    const plan: [string, string | null, number][] = [
      ['2026-01-20', null, 5],
      ['2026-01-31', household, 2],
      ['2026-01-22', null, 7],
      ['2026-01-31', household, 1],
      ['2026-02-01', null, 3],
      ['2026-02-03', household, 4],
    ];
    statements.length = 0;
    const viaStatement = await record(fast, plan);
    const viaTransaction = await record(slow, plan);
    // Every visit rode in its append statement, the household visits with their count's read in it.
    expect(statements.filter((s) => s.startsWith('es_append_rows_'))).toHaveLength(6);
    expect(statements.filter((s) => !s.startsWith('es_append_rows_'))).toEqual([]);
    expect(await months(database, viaStatement)).toEqual(await months(database, viaTransaction));
    expect(await months(database, viaStatement)).toEqual([
      { month: '2026-01', visits: 4, households: 1, people_served: 15 },
      { month: '2026-02', visits: 2, households: 1, people_served: 7 },
    ]);
    expect(await visitRows(database, viaStatement)).toEqual(await visitRows(database, viaTransaction));
  });

  it('counts two group visits of one append once each', async () => {
    const groupId = randomUUID();
    await fast.append(`visit-${randomUUID()}`, [visit(groupId, '2026-03-02', null, 1), visit(groupId, '2026-03-09', null, 2)], 'no_stream');
    expect(await months(database, groupId)).toEqual([{ month: '2026-03', visits: 2, households: 0, people_served: 3 }]);
  });
});
