import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InlineProjection, NewEvent } from '../../src/application/event-store';
import type { CaseDecided, CaseEvent } from '../../src/domain/assistance/case.events';
import { assistanceProjection } from '../../src/projections/assistance/assistance.projection';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { decided } from '../projections/case-events';
import { applyOnly } from '../support/counted-statements';
import { newEvent } from '../support/events';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const backends = await availableBackends();
const AT = '2026-01-15T08:00:00.000Z';
const FILE = 'f'.repeat(64);

type Step = Extract<CaseEvent, { type: string }>;
const event = <T extends Step['type']>(type: T, data: Extract<Step, { type: T }>['data']): NewEvent => newEvent(type, data);

/** A case's whole life, step by step: each step an append of its own (as commands make them). */
function lifeOf(n: number, householdId: string): NewEvent[][] {
  const caseId = randomUUID();
  const program = n % 3 === 0 ? 'dibao' : 'temporary';
  const place = { groupId: randomUUID(), villageId: randomUUID(), townId: randomUUID() };
  const applied = event('CaseApplied', {
    caseId,
    program,
    householdId,
    applicantPersonId: randomUUID(),
    ...place,
    channel: 'self',
    trigger: null,
    startedByWorkerId: n % 2 === 0 ? randomUUID() : null,
    relativeOf: n % 5 === 0 ? { kind: 'village_cadre', workerId: null, name: '李四', relation: '兄弟' } : null,
    appliedOn: '2026-01-02',
    recordedAt: AT,
  });
  const decision = (
    decisionId: string,
    outcome: 'granted' | 'denied' | 'adjusted' | 'stopped',
    payment: CaseDecided['payment'],
    extra: Partial<CaseDecided> = {},
  ) => {
    const kind = outcome === 'adjusted' || outcome === 'stopped' ? 'review' : 'initial';
    const { type, data } = decided(decisionId, kind, outcome, payment, {
      caseId,
      program,
      decisionDate: '2026-01-20',
      facts: { income: 1200 + n },
      refusalNoticeDueOn: outcome === 'denied' ? '2026-01-25' : null,
      nextReviewDueOn: outcome === 'granted' ? '2027-01-20' : null,
      ...extra,
    });
    return newEvent(type, data);
  };
  if (n % 7 === 6) {
    // Taken over from the county's roll, then paid and stopped.
    const migrated = randomUUID();
    return [
      [applied],
      [
        event('DecisionMigrated', {
          caseId,
          decisionId: migrated,
          program: 'dibao',
          decisionDate: '2025-06-01',
          payment: { kind: 'monthly', monthlyFen: 60000, from: '2025-07-01' },
          classification: null,
          persons: 2,
          nextReviewDueOn: '2026-06-01',
          source: { importId: randomUUID(), fileSha256: FILE, row: n + 1, reason: '存量迁移' },
          recordedAt: AT,
        }),
      ],
      [
        event('PaymentRecorded', {
          caseId,
          paymentId: randomUUID(),
          kind: 'monthly',
          month: '2026-01',
          fen: 60000,
          paidOn: '2026-01-05',
          migrated: { fileSha256: FILE, row: n + 1 },
          recordedAt: AT,
        }),
      ],
      [decision(randomUUID(), 'stopped', null, { paymentsEndOn: '2026-02-01' })],
    ];
  }
  const steps: NewEvent[][] = [
    [applied],
    [event('CaseAccepted', { caseId, acceptedOn: '2026-01-03', reviewDueOn: '2026-01-20', recordedAt: AT })],
    [event('EconomicFactsRecorded', { caseId, facts: { income: 1000 }, recordedOn: '2026-01-04', recordedAt: AT })],
  ];
  if (n % 4 === 1) steps.push([event('ReviewDeadlineExtended', { caseId, reason: '材料补充', reviewDueOn: '2026-02-10', recordedAt: AT })]);
  const notice = randomUUID();
  steps.push([
    event('NoticePosted', { caseId, noticeId: notice, postedOn: '2026-01-10', endsOn: '2026-01-17', confirmationDueOn: '2026-01-24', recordedAt: AT }),
  ]);
  if (n % 5 === 2) steps.push([event('ObjectionRecorded', { caseId, noticeId: notice, on: '2026-01-12', summary: '邻居异议', recordedAt: AT })]);
  const by = { actorId: 'worker-1', role: 'town_worker' };
  steps.push([event('CaseSubmitted', { caseId, submittedOn: '2026-01-18', submittedBy: by, recordedAt: AT })]);
  if (n % 3 === 1) {
    steps.push([event('CaseChecked', { caseId, checkedOn: '2026-01-19', result: 'returned', reasons: '缺少收入证明', checkedBy: by, recordedAt: AT })]);
    steps.push([event('CaseSubmitted', { caseId, submittedOn: '2026-01-19', submittedBy: by, recordedAt: AT })]);
  }
  steps.push([event('CaseChecked', { caseId, checkedOn: '2026-01-19', result: 'forwarded', reasons: '', checkedBy: by, recordedAt: AT })]);
  if (n % 4 === 3) {
    steps.push([decision(randomUUID(), 'denied', null)]);
    steps.push([event('RefusalNotified', { caseId, on: '2026-01-22', recordedAt: AT })]);
    return steps;
  }
  const monthly = program === 'dibao';
  steps.push([
    decision(
      randomUUID(),
      'granted',
      monthly ? { kind: 'monthly', monthlyFen: 50000, from: '2026-02-01' } : { kind: 'one_off', fen: 120000, on: '2026-01-21' },
    ),
  ]);
  // A payment recorded in the same append as the next step, as a payment run would.
  const pay = (month: string | null, fen: number) =>
    event('PaymentRecorded', {
      caseId,
      paymentId: randomUUID(),
      kind: monthly ? 'monthly' : 'one_off',
      month,
      fen,
      paidOn: '2026-02-05',
      migrated: null,
      recordedAt: AT,
    });
  if (monthly) {
    steps.push([pay('2026-02', 50000), pay('2026-03', 50000)]);
    // A new amount ends the payment in force.
    steps.push([decision(randomUUID(), 'adjusted', { kind: 'monthly', monthlyFen: 55000, from: '2026-04-01' })]);
  } else steps.push([pay(null, 120000)]);
  return steps;
}

/** Every row of the tables, in a stable order: the oracle compares two builds of them. */
async function rowsOf(database: TestDatabase, tables: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of tables)
    out[table] = (await sql<{ r: string }>`select to_jsonb(x)::text as r from ${sql.table(table)} x order by 1`.execute(database.db)).rows.map((r) => r.r);
  return out;
}

/**
 * Issue 20: the assistance projection's rebuild writes the cases applied in a page as rows (its
 * `rowsFor`, each case's later steps in the page folded into its row) and yields exactly the rows
 * of the event-by-event path; only the steps of cases applied in an earlier page are applied.
 */
describe.each(backends)('a paged rebuild of assistance on %s', (backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;
  let events = 0;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = new SqlEventStore(database, { inlineProjections: [assistanceProjection] });
    await store.append(
      'policy-registry',
      [
        newEvent('WorkingDayCalendarAdded', {
          calendar: { id: 'cal-2026', coversFrom: '2026-01-01', coversTo: '2026-12-31', holidays: [] },
          contentHash: 'c'.repeat(64),
        }),
        newEvent('PolicyVersionAdded', {
          policy: { id: 'policy-2026', countyCode: '511500', effectiveFrom: '2026-01-01', calendarId: 'cal-2026' },
          contentHash: 'a'.repeat(64),
        }),
      ],
      'no_stream',
    );
    events = 2;
    // Cases interleaved: three at a time move a step each, so a page cuts through their lives.
    // Lives 3, 6 and 9 are one household's (each applied after the last was denied or stopped, one
    // open case per household and programme), as are 7 and 10.
    const shared = [randomUUID(), randomUUID()];
    const householdOf = (n: number) => ([3, 6, 9].includes(n) ? shared[0]! : [7, 10].includes(n) ? shared[1]! : randomUUID());
    const lives = Array.from({ length: 12 }, (_, n) => ({ stream: '', version: 0, steps: lifeOf(n, householdOf(n)) }));
    for (let at = 0; at < lives.length; at += 3) {
      const running = lives.slice(at, at + 3);
      for (let step = 0; running.some((l) => step < l.steps.length); step++)
        for (const life of running) {
          const batch = life.steps[step];
          if (!batch) continue;
          if (step === 0) life.stream = `case-${(batch[0]!.data as { caseId: string }).caseId}`;
          await store.append(life.stream, batch, step === 0 ? 'no_stream' : life.version);
          life.version += batch.length;
          events += batch.length;
        }
    }
  }, 120_000);
  afterAll(async () => database?.close());

  it.each([6, 13, 1000])('rebuilds in pages of %d to exactly the rows of the event-by-event path', async (pageSize) => {
    const tables = assistanceProjection.tables;
    const live = await rowsOf(database, tables);
    expect(live.rm_cases).toHaveLength(12);
    expect(live.rm_case_paid!.length).toBeGreaterThan(5);
    // Some payments in force were ended by a later decision: the fold has to end them too.
    const ended = live.rm_case_payments!.map((r) => JSON.parse(r) as { to_date: string | null; monthly_fen: number | null });
    expect(ended.some((p) => p.to_date !== null && p.monthly_fen !== null)).toBe(true);
    await store.rebuildInline(applyOnly(assistanceProjection), undefined, { pageSize });
    const byEvent = await rowsOf(database, tables);
    expect(byEvent).toEqual(live);

    let applied = 0;
    const projection: InlineProjection & { tables: readonly string[] } = assistanceProjection;
    await store.rebuildInline({ ...projection, apply: (trx, page) => ((applied += page.length), projection.apply(trx, page)) }, undefined, { pageSize });
    expect(await rowsOf(database, tables)).toEqual(byEvent);
    // A page of the whole log folds every case into its row; smaller pages apply only the steps
    // of cases applied in an earlier page.
    if (pageSize >= events) expect(applied).toBe(0);
    else {
      expect(applied).toBeGreaterThan(0);
      expect(applied).toBeLessThan(events);
    }
  });
});
