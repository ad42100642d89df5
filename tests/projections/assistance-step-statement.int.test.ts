import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InlineStatement, NewEvent } from '../../src/application/event-store';
import { assistanceProjection } from '../../src/projections/assistance/assistance.projection';
import { rowsWithStatements } from '../../src/storage/append-many-statement';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { fastAndSlowStores } from '../support/counted-statements';
import { newEvent } from '../support/events';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';
import { applied, AT } from './case-events';

const backends = await availableBackends();
const checker = { actorId: 'county-1', role: 'county_worker' };

/** A case's life up to its check, one event a command, as the case service appends them. */
function steps(caseId: string): NewEvent[] {
  const at = (day: string) => `2026-01-${day}T08:00:00.000Z`;
  const event = (type: string, day: string, data: Record<string, unknown>) => newEvent(type, { caseId, ...data, recordedAt: at(day) }, { recordedAt: at(day) });
  return [
    event('CaseAccepted', '03', { acceptedOn: '2026-01-03', reviewDueOn: '2026-01-23' }),
    event('ReviewDeadlineExtended', '04', { reason: '补充材料', reviewDueOn: '2026-02-06' }),
    event('EconomicFactsRecorded', '05', { facts: { incomes: [{ fenPerYear: 100_000 }] }, recordedOn: '2026-01-05' }),
    event('NeighbourInterviewRecorded', '06', { interviewId: randomUUID(), on: '2026-01-06', neighbours: ['邻居甲'], summary: '属实' }),
    event('NoticePosted', '07', { noticeId: randomUUID(), postedOn: '2026-01-07', endsOn: '2026-01-14', confirmationDueOn: '2026-01-21' }),
    event('ObjectionRecorded', '08', { noticeId: randomUUID(), on: '2026-01-08', summary: '有异议' }),
    event('CaseSubmitted', '09', { submittedOn: '2026-01-09', submittedBy: checker }),
    event('CaseChecked', '10', { checkedOn: '2026-01-10', result: 'returned', reasons: '缺少收入证明', checkedBy: checker }),
  ];
}

const caseRow = (db: TestDatabase, caseId: string) =>
  sql<Record<string, unknown>>`select * from rm_cases where id = ${caseId}`.execute(db.db).then((r) => {
    const { id: _id, household_id: _household, ...rest } = r.rows[0]!;
    return rest;
  });

describe.each(backends)('assistance: a case step as a sub-statement of its append on %s', (backend) => {
  let database: TestDatabase;
  let fast: SqlEventStore;
  let slow: SqlEventStore;
  const statements: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    // `slow`: the same projection without its rows, every step applied in a transaction, the reference.
    ({ fast, slow } = fastAndSlowStores(database, [assistanceProjection], statements));
  });
  afterAll(async () => database?.close());

  /** A new case (its own household, one open case per household and programme) and its steps through `store`. */
  async function run(store: SqlEventStore): Promise<string> {
    const caseId = randomUUID();
    const application = applied();
    const data = { ...application.data, caseId, householdId: randomUUID() };
    const streamId = `case-${caseId}`;
    await store.append(streamId, [newEvent('CaseApplied', data, { recordedAt: AT })], 'no_stream');
    statements.length = 0;
    let version = 1;
    for (const step of steps(caseId)) await store.append(streamId, [step], version++);
    return caseId;
  }

  it('leaves the row the handlers leave, each step in one statement', async () => {
    const viaStatement = await run(fast);
    // One prepared append statement a step (no transaction, no update of its own), the rows' shape.
    expect(statements).toHaveLength(8);
    expect(statements.every((name) => name.startsWith('es_append_rows_'))).toBe(true);
    const viaTransaction = await run(slow);
    const row = await caseRow(database, viaStatement);
    expect(row).toEqual(await caseRow(database, viaTransaction));
    expect(row).toMatchObject({
      status: 'returned',
      version: '9',
      accepted_on: '2026-01-03',
      review_due_on: '2026-02-06',
      notice_ends_on: null,
      confirmation_due_on: null,
      last_return: { on: '2026-01-10', reasons: '缺少收入证明' },
    });
  });

  it("records a payment as the handlers do, the case's paid total and its paid row, in one statement", async () => {
    /** Two months paid after the steps, the second payment's id twice: its row is filed once, as the handler's insert does. */
    const pay = async (store: SqlEventStore, caseId: string) => {
      const payment = (month: string, paymentId: string) =>
        newEvent(
          'PaymentRecorded',
          { caseId, paymentId, kind: 'monthly', month, fen: 45_000, paidOn: `${month}-20`, migrated: null, recordedAt: `${month}-20T08:00:00.000Z` },
          { recordedAt: `${month}-20T08:00:00.000Z` },
        );
      const second = randomUUID();
      statements.length = 0;
      await store.append(`case-${caseId}`, [payment('2026-01', randomUUID())], 9);
      await store.append(`case-${caseId}`, [payment('2026-02', second)], 10);
      await store.append(`case-${caseId}`, [payment('2026-02', second)], 11);
      const paid = await sql<Record<string, unknown>>`
        select program, town_id, kind, month, fen, paid_on, migrated from rm_case_paid where case_id = ${caseId} order by month`.execute(database.db);
      return paid.rows;
    };
    const viaStatement = await run(fast);
    const paidViaStatement = await pay(fast, viaStatement);
    expect(statements).toHaveLength(3);
    expect(statements.every((name) => name.startsWith('es_append_rows_'))).toBe(true);
    const viaTransaction = await run(slow);
    expect(paidViaStatement).toEqual(await pay(slow, viaTransaction));
    expect(paidViaStatement).toEqual([
      expect.objectContaining({ kind: 'monthly', month: '2026-01', fen: '45000', paid_on: '2026-01-20', migrated: false }),
      expect.objectContaining({ month: '2026-02' }),
    ]);
    const row = await caseRow(database, viaStatement);
    expect(row).toEqual(await caseRow(database, viaTransaction));
    expect(row).toMatchObject({ paid_fen: '135000', version: '12' });
  });

  it('moves a case only forward: a step older than the row leaves it as it is, a newer one moves it', async () => {
    const caseId = await run(fast);
    const before = await caseRow(database, caseId);
    /** The statement rowsFor gives for a step at `version`, run as a rebuild runs it (its rows' CTEs over an `ins` that holds). */
    const runStep = async (event: NewEvent, version: number) => {
      const pending = { ...event, streamId: `case-${caseId}`, version, schemaVersion: 1, recordedAt: String(event.data.recordedAt), hash: '', prevHash: '' };
      const answer = assistanceProjection.rowsFor!([pending])!;
      expect(answer).toHaveLength(1);
      const { text, params } = rowsWithStatements([], answer as InlineStatement[]);
      await database.db.executeQuery(CompiledQuery.raw(text, params));
    };
    // The accepted step again, as a redelivery would bring it (version 2 against the row's 9).
    await runStep(steps(caseId)[0]!, 2);
    expect(await caseRow(database, caseId)).toEqual(before);
    const extended = newEvent('ReviewDeadlineExtended', { caseId, reason: '再延', reviewDueOn: '2026-03-01', recordedAt: '2026-01-11T08:00:00.000Z' });
    await runStep(extended, 10);
    const { updated_at: movedAt, ...moved } = await caseRow(database, caseId);
    const { updated_at: _before, ...unmoved } = before;
    expect(moved).toEqual({ ...unmoved, version: '10', review_due_on: '2026-03-01' });
    expect(new Date(movedAt as string).toISOString()).toBe('2026-01-11T08:00:00.000Z');
  });
});
