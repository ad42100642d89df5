import type { CaseEvent } from '../../domain/assistance/case.events';
import type { ReserveFundEvent } from '../../domain/assistance/reserve-fund';
import { typedProjection } from '../typed-projection';

type CaseOpenedOrDecided = Extract<CaseEvent, { type: 'CaseApplied' | 'CaseDecided' }>;

/**
 * The towns' 临时救助 reserve funds: top-ups, and every emergency grant (先行救助) as a draw on
 * its town's fund. Inline, so a grant's draw is in the balance the next grant is checked
 * against. Keeps its own case → town map, so it never depends on another read model on rebuild.
 */
export const reserveFundsProjection = typedProjection<ReserveFundEvent | CaseOpenedOrDecided>({
  name: 'reserve-funds',
  mode: 'inline',
  tables: ['rm_reserve_fund_movements', 'rm_reserve_fund_cases'],
  handlers: {
    async CaseApplied(trx, { data: d }) {
      await trx
        .insertInto('rm_reserve_fund_cases')
        .values({ case_id: d.caseId, town_id: d.townId })
        .onConflict((oc) => oc.column('case_id').doNothing())
        .execute();
    },
    async ReserveFundToppedUp(trx, { data: d, recordedAt }) {
      await trx
        .insertInto('rm_reserve_fund_movements')
        .values({ id: d.topUpId, town_id: d.townId, kind: 'top_up', fen: d.fen, on_date: d.on, case_id: null, reference: d.reference, recorded_at: recordedAt })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async CaseDecided(trx, { data: d, recordedAt }) {
      const payment = d.payment;
      if (d.kind !== 'emergency_grant' || payment?.kind !== 'one_off') return;
      // The town is the case's, from this projection's own map.
      await trx
        .insertInto('rm_reserve_fund_movements')
        .columns(['id', 'town_id', 'kind', 'fen', 'on_date', 'case_id', 'reference', 'recorded_at'])
        .expression((eb) =>
          eb
            .selectFrom('rm_reserve_fund_cases as c')
            .select([
              eb.val(d.decisionId).as('id'),
              'c.town_id',
              eb.val('draw').as('kind'),
              eb.val(payment.fen).as('fen'),
              eb.val(payment.on).as('on_date'),
              eb.val(d.caseId).as('case_id'),
              eb.val('先行救助').as('reference'),
              eb.val(recordedAt).as('recorded_at'),
            ])
            .where('c.case_id', '=', d.caseId),
        )
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
  },
});
