import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src/application/event-store';
import { householdsProjection } from '../../src/projections/households/households.projection';
import { performanceMetricsProjection } from '../../src/projections/performance/performance-metrics.projection';
import { scheduleProjection } from '../../src/projections/visits/schedule.projection';
import { visitsProjection } from '../../src/projections/visits/visits.projection';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { countingPrepared } from '../support/counted-statements';
import { newEvent } from '../support/events';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const backends = await availableBackends();
const AS_OF = '2026-01-20';

function visit(groupId: string, date: string, kind: 'routine' | 'review' = 'routine'): NewEvent {
  return newEvent(
    'VisitRecorded',
    {
      visitId: randomUUID(),
      workerId: randomUUID(),
      householdId: null,
      groupId,
      date,
      kind,
      findings: '例行走访',
      followUpActions: [],
      peopleServed: 1,
      late: false,
      recordedAt: '2026-01-20T08:00:00.000Z',
      policyVersion: 1,
    },
    { recordedAt: '2026-01-20T08:00:00.000Z' },
  );
}

/**
 * A visit's inline projections (visits' rm_visits, the schedule, the score sheet's marks)
 * with the schedule before and after its first build: before, the append statement carries
 * everything alone; after, a visit other than a review still does, with the update of the
 * schedule's rows in it, and a review's guard sends the append through the transaction.
 */
describe.each(backends)('the schedule guard of the one-statement append on %s', (backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;
  const statements: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    const counted = countingPrepared(database, statements);
    store = new SqlEventStore(counted, { inlineProjections: [householdsProjection, visitsProjection, scheduleProjection, performanceMetricsProjection] });
  });
  afterAll(async () => database?.close());
  beforeEach(async () => {
    await sql`insert into rm_performance_sheets (period) values ('2026-H1') on conflict do nothing`.execute(database.db);
  });

  const setState = (asOf: string | null, version: number | null) =>
    sql`update rm_schedule_state set as_of = ${asOf}::date, policy_version = ${version} where id = 1`.execute(database.db);
  const groupItem = async (groupId: string) => {
    await sql`insert into rm_schedule_items (item_key, obligation, group_id, village_id, town_id, month, due_date, status)
      values (${`group_monthly_visit:${groupId}:2026-01`}, 'group_monthly_visit', ${groupId}::uuid, ${randomUUID()}::uuid, ${randomUUID()}::uuid,
        '2026-01', '2026-01-31', 'due')`.execute(database.db);
  };
  const itemOf = async (groupId: string) =>
    (
      await sql<{
        status: string;
        last_visit: string | null;
      }>`select status, last_visit::text as last_visit from rm_schedule_items where group_id = ${groupId}::uuid`.execute(database.db)
    ).rows;
  const marks = async (eventId: string) =>
    (await sql<{ period: string }>`select period from rm_performance_stale where event_id = ${eventId}::uuid`.execute(database.db)).rows;

  it('appends a visit in one statement before the first build, with its visit row and its score-sheet marks', async () => {
    await setState(null, null);
    const groupId = randomUUID();
    const event = visit(groupId, '2026-01-14');
    statements.length = 0;
    await store.append(`visit-${randomUUID()}`, [event], 'no_stream');
    expect(statements).toEqual([expect.stringMatching(/^es_append_rows_/)]);
    expect((await sql`select id from rm_visits where group_id = ${groupId}::uuid`.execute(database.db)).rows).toHaveLength(1);
    expect(await marks(event.eventId)).toEqual([{ period: '2026-H1' }]);
  });

  it('moves the rows of a built schedule in the append statement itself', async () => {
    await setState(AS_OF, 1);
    const [g1, g2] = [randomUUID(), randomUUID()];
    await groupItem(g1);
    await groupItem(g2);
    statements.length = 0;
    const first = visit(g1, '2026-01-14');
    await store.append(`visit-${randomUUID()}`, [first], 'no_stream');
    await store.append(`visit-${randomUUID()}`, [visit(g2, '2026-01-15')], 'no_stream');
    expect(statements, 'one statement a visit, no transaction').toEqual([expect.stringMatching(/^es_append_rows_/), expect.stringMatching(/^es_append_rows_/)]);
    expect(await itemOf(g1)).toEqual([{ status: 'done', last_visit: '2026-01-14' }]);
    expect(await itemOf(g2)).toEqual([{ status: 'done', last_visit: '2026-01-15' }]);
    expect(await marks(first.eventId)).toEqual([{ period: '2026-H1' }]);
    expect((await sql`select id from rm_visits where group_id = ${g2}::uuid`.execute(database.db)).rows).toHaveLength(1);
  });

  it('leaves the rows alone while the model is stale or never built', async () => {
    const groupId = randomUUID();
    await groupItem(groupId);
    await setState(AS_OF, null);
    await store.append(`visit-${randomUUID()}`, [visit(groupId, '2026-01-14')], 'no_stream');
    await setState(null, null);
    await store.append(`visit-${randomUUID()}`, [visit(groupId, '2026-01-15')], 'no_stream');
    expect(await itemOf(groupId)).toEqual([{ status: 'due', last_visit: null }]);
  });

  it('sends a review of a built schedule through the transaction, and the next ones there at once', async () => {
    await setState(AS_OF, 1);
    const [g1, g2] = [randomUUID(), randomUUID()];
    statements.length = 0;
    const first = visit(g1, '2026-01-14', 'review');
    await store.append(`visit-${randomUUID()}`, [first], 'no_stream');
    expect(
      statements.filter((s) => s.startsWith('es_append_rows_')),
      'the guard refused once',
    ).toHaveLength(1);
    expect(await marks(first.eventId)).toEqual([{ period: '2026-H1' }]);
    statements.length = 0;
    await store.append(`visit-${randomUUID()}`, [visit(g2, '2026-01-15', 'review')], 'no_stream');
    expect(
      statements.filter((s) => s.startsWith('es_append_rows_')),
      'the refused guard is not tried again at once',
    ).toEqual([]);
    // The visit row still rides in the append statement, inside the transaction.
    expect((await sql`select id from rm_visits where group_id = ${g2}::uuid`.execute(database.db)).rows).toHaveLength(1);
  });

  it('leaves a later visit of the month in place when an earlier one is recorded after it', async () => {
    await setState(AS_OF, 1);
    const groupId = randomUUID();
    await groupItem(groupId);
    await store.append(`visit-${randomUUID()}`, [visit(groupId, '2026-01-16')], 'no_stream');
    await store.append(`visit-${randomUUID()}`, [visit(groupId, '2026-01-03')], 'no_stream');
    await store.append(`visit-${randomUUID()}`, [visit(groupId, '2026-01-25')], 'no_stream'); // after the model's day: not yet counted
    expect(await itemOf(groupId)).toEqual([{ status: 'done', last_visit: '2026-01-16' }]);
  });
});
