import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { assistanceProjection } from '../../src/projections/assistance/assistance.projection';
import type { Db } from '../../src/storage/database';
import { applied, AT, decided, ids, paid } from './case-events';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(assistanceProjection);
const grant = '00000000-0000-4000-8000-00000000d001';
const completion = '00000000-0000-4000-8000-00000000d002';
const monthly = '00000000-0000-4000-8000-00000000d003';
const raise = '00000000-0000-4000-8000-00000000d004';
const cases = (db: Db) =>
  db.selectFrom('rm_cases').select(['id', 'status', 'town_id', 'paid_fen', 'paperwork_due_on', 'paperwork_done_on', 'decided_on', 'version']).execute();

describe('assistance projection', () => {
  it('follows an emergency grant: the case, its decision filed under its town, the payment in force and what was paid', async () => {
    await spec
      .given([
        applied(),
        decided(grant, 'emergency_grant', 'granted', { kind: 'one_off', fen: 200_000, on: '2026-01-08' }, { paperworkDueOn: '2026-01-15' }),
        paid('00000000-0000-4000-8000-00000000e001', 200_000),
        decided(completion, 'emergency_completion', 'granted', null, { decisionDate: '2026-01-12' }),
      ])
      .expectRows(cases, [
        { id: ids.caseId, town_id: ids.townId, paid_fen: '200000', paperwork_due_on: '2026-01-15', paperwork_done_on: '2026-01-12', version: '4' },
      ]);
    await spec.given([applied(), decided(grant, 'emergency_grant', 'granted', { kind: 'one_off', fen: 200_000, on: '2026-01-08' })]).expectRows(
      (db) => db.selectFrom('rm_decisions').select(['id', 'kind', 'outcome', 'town_id', 'village_id', 'decided_by', 'one_off_fen', 'monthly_fen']).execute(),
      [
        {
          id: grant,
          kind: 'emergency_grant',
          outcome: 'granted',
          town_id: ids.townId,
          village_id: ids.villageId,
          decided_by: 'official-1',
          one_off_fen: '200000',
          monthly_fen: null,
        },
      ],
    );
  });

  it('ends the monthly payment in force when a new amount is decided', async () => {
    await spec
      .given([
        applied('dibao'),
        decided(monthly, 'initial', 'granted', { kind: 'monthly', monthlyFen: 91_000, from: '2026-02-01' }),
        decided(raise, 'review', 'adjusted', { kind: 'monthly', monthlyFen: 95_000, from: '2026-07-01' }),
      ])
      .expectRows(
        (db) => db.selectFrom('rm_case_payments').select(['decision_id', 'monthly_fen', 'from_date', 'to_date']).orderBy('from_date').execute(),
        [
          { decision_id: monthly, monthly_fen: '91000', from_date: '2026-02-01', to_date: '2026-07-01' },
          { decision_id: raise, monthly_fen: '95000', from_date: '2026-07-01', to_date: null },
        ],
      );
  });

  it('keeps each decision’s payment in a column of its own, the body’s payment as it is, null when nothing is paid', async () => {
    const payments = (db: Db) =>
      db
        .selectFrom('rm_decisions')
        .select(['id', 'payment', sql<unknown>`body -> 'payment'`.as('body_payment')])
        .orderBy('id')
        .execute();
    const denied = '00000000-0000-4000-8000-00000000d005';
    const rows = await spec
      .given([
        applied('dibao'),
        decided(denied, 'initial', 'denied', null),
        decided(monthly, 'initial', 'granted', { kind: 'monthly', monthlyFen: 91_000, from: '2026-02-01' }),
        decided(raise, 'review', 'adjusted', { kind: 'monthly', monthlyFen: 95_000, from: '2026-07-01' }),
      ])
      .expectRows(payments, [
        { id: monthly, payment: { kind: 'monthly', monthlyFen: 91_000, from: '2026-02-01' } },
        { id: raise, payment: { kind: 'monthly', monthlyFen: 95_000, from: '2026-07-01' } },
        { id: denied, payment: null },
      ]);
    for (const row of rows) expect(row.payment).toEqual(row.body_payment);
  });

  it('takes the case’s status from the decider’s rule: accepted, then in notice', async () => {
    await spec
      .given([
        applied('dibao'),
        { type: 'CaseAccepted', data: { caseId: ids.caseId, acceptedOn: '2026-01-03', reviewDueOn: '2026-02-10', recordedAt: AT } },
        {
          type: 'NoticePosted',
          data: {
            caseId: ids.caseId,
            noticeId: '00000000-0000-4000-8000-00000000d010',
            postedOn: '2026-01-05',
            endsOn: '2026-01-12',
            confirmationDueOn: '2026-01-26',
            recordedAt: AT,
          },
        },
      ])
      .expectRows(
        (db) => db.selectFrom('rm_cases').select(['status', 'review_due_on', 'notice_ends_on']).execute(),
        [{ status: 'in_notice', review_due_on: '2026-02-10', notice_ends_on: '2026-01-12' }],
      );
  });
});
