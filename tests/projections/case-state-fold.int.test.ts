import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/application/event-store';
import { evolveCase, initialCaseState, type CaseDecided, type CaseEvent } from '../../src/domain/assistance/case.events';
import { assistanceProjection } from '../../src/projections/assistance/assistance.projection';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const backends = await availableBackends();
const AT = '2023-06-08T02:00:00.000Z';

/** The case's state is one fold: the same events fed to the decider's evolve and to the read model give the same status. */
describe.each(backends)('case status: the decider’s fold and the read model agree (%s)', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => database?.close());

  const ids = () => ({ caseId: randomUUID(), householdId: randomUUID() });
  const applied = (c: { caseId: string; householdId: string }, program: 'temporary' | 'dibao'): CaseEvent => ({
    type: 'CaseApplied',
    data: {
      caseId: c.caseId,
      program,
      householdId: c.householdId,
      applicantPersonId: randomUUID(),
      groupId: randomUUID(),
      villageId: randomUUID(),
      townId: randomUUID(),
      channel: 'self',
      trigger: null,
      startedByWorkerId: null,
      relativeOf: null,
      appliedOn: '2023-06-01',
      recordedAt: AT,
    },
  });
  const decided = (
    caseId: string,
    kind: CaseDecided['kind'],
    outcome: CaseDecided['outcome'],
    payment: CaseDecided['payment'],
    paymentsEndOn: string | null = null,
  ): CaseEvent => ({
    type: 'CaseDecided',
    data: {
      caseId,
      decisionId: randomUUID(),
      kind,
      decisionDate: '2023-06-08',
      outcome,
      program: 'temporary',
      facts: {},
      policy: { id: 'p', contentHash: 'a'.repeat(64) },
      eligibility: {},
      payment,
      paymentsEndOn,
      writtenReasons: '',
      decidedBy: { actorId: 'o', role: 'town_official' },
      evidence: [],
      refusalNoticeDueOn: null,
      paperworkDueOn: null,
      nextReviewDueOn: null,
      recordedAt: AT,
    },
  });
  const investigation = (caseId: string): CaseEvent => ({
    type: 'HomeInvestigationRecorded',
    data: {
      caseId,
      investigationId: randomUUID(),
      investigatorIds: [randomUUID(), randomUUID()],
      level: 'town',
      on: '2023-06-08',
      findings: '',
      recordedAt: AT,
    },
  });
  const payment = (caseId: string, fen: number): CaseEvent => ({
    type: 'PaymentRecorded',
    data: { caseId, paymentId: randomUUID(), kind: 'one_off', month: null, fen, paidOn: '2023-06-08', migrated: null, recordedAt: AT },
  });

  const scenarios: [string, (c: { caseId: string; householdId: string }) => CaseEvent[]][] = [
    [
      'emergency grant, payment, investigation, completion (finding 1)',
      (c) => [
        applied(c, 'temporary'),
        decided(c.caseId, 'emergency_grant', 'granted', { kind: 'one_off', fen: 200_000, on: '2023-06-08' }),
        payment(c.caseId, 200_000),
        investigation(c.caseId),
        decided(c.caseId, 'emergency_completion', 'granted', null),
      ],
    ],
    [
      'notice, objection, submit, return, resubmit, forward, monthly grant, stop',
      (c) => [
        applied(c, 'dibao'),
        { type: 'CaseAccepted', data: { caseId: c.caseId, acceptedOn: '2023-06-01', reviewDueOn: '2023-07-07', recordedAt: AT } },
        investigation(c.caseId),
        {
          type: 'NoticePosted',
          data: { caseId: c.caseId, noticeId: randomUUID(), postedOn: '2023-06-02', endsOn: '2023-06-09', confirmationDueOn: '2023-06-21', recordedAt: AT },
        },
        { type: 'ObjectionRecorded', data: { caseId: c.caseId, noticeId: randomUUID(), on: '2023-06-03', summary: 'x', recordedAt: AT } },
        investigation(c.caseId),
        { type: 'CaseSubmitted', data: { caseId: c.caseId, submittedOn: '2023-06-12', submittedBy: { actorId: 'w', role: 'town_worker' }, recordedAt: AT } },
        {
          type: 'CaseChecked',
          data: {
            caseId: c.caseId,
            checkedOn: '2023-06-12',
            result: 'returned',
            reasons: '补充材料',
            checkedBy: { actorId: 'c', role: 'county_worker' },
            recordedAt: AT,
          },
        },
        { type: 'CaseSubmitted', data: { caseId: c.caseId, submittedOn: '2023-06-13', submittedBy: { actorId: 'w', role: 'town_worker' }, recordedAt: AT } },
        {
          type: 'CaseChecked',
          data: {
            caseId: c.caseId,
            checkedOn: '2023-06-13',
            result: 'forwarded',
            reasons: '',
            checkedBy: { actorId: 'c', role: 'county_worker' },
            recordedAt: AT,
          },
        },
        decided(c.caseId, 'initial', 'granted', { kind: 'monthly', monthlyFen: 91_000, from: '2023-07-01' }),
        decided(c.caseId, 'review', 'stopped', null, '2024-01-01'),
      ],
    ],
    [
      'denied',
      (c) => [
        applied(c, 'dibao'),
        decided(c.caseId, 'initial', 'denied', null),
        { type: 'RefusalNotified', data: { caseId: c.caseId, on: '2023-06-09', recordedAt: AT } },
      ],
    ],
  ];

  it.each(scenarios)('%s', async (_name, build) => {
    const c = ids();
    const events = build(c);
    let state = initialCaseState();
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      state = evolveCase(state, event);
      const recorded = {
        ...event,
        eventId: randomUUID(),
        streamId: `case-${c.caseId}`,
        version: i + 1,
        schemaVersion: 1,
        metadata: {} as never,
        recordedAt: AT,
        position: '0' as never,
        hash: '',
        prevHash: '',
      } as RecordedEvent;
      await database.db.transaction().execute((trx) => assistanceProjection.apply(trx, [recorded]));
      const row = (await sql<{ status: string }>`select status from rm_cases where id = ${c.caseId}`.execute(database.db)).rows[0];
      expect(row?.status, `after ${event.type} (#${i + 1})`).toBe(state.status);
    }
  });
});
