import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../application/event-store';
import type { Projection } from '../projection';

/**
 * The towns' 临时救助 reserve funds: top-ups, and every emergency grant (先行救助) as a draw on
 * its town's fund. Inline, so a grant's draw is in the balance the next grant is checked
 * against. Keeps its own case → town map, so it never depends on another read model on rebuild.
 */
export const reserveFundsProjection: Projection = {
  name: 'reserve-funds',
  mode: 'inline',
  handles: ['ReserveFundToppedUp', 'CaseApplied', 'CaseDecided'],
  tables: ['rm_reserve_fund_movements', 'rm_reserve_fund_cases'],
  async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
    for (const e of events) {
      const d = e.data as any;
      if (e.type === 'CaseApplied') {
        await sql`insert into rm_reserve_fund_cases (case_id, town_id) values (${d.caseId}, ${d.townId}) on conflict (case_id) do nothing`.execute(trx);
      } else if (e.type === 'ReserveFundToppedUp') {
        await sql`insert into rm_reserve_fund_movements (id, town_id, kind, fen, on_date, case_id, reference, recorded_at)
                  values (${d.topUpId}, ${d.townId}, 'top_up', ${d.fen}, ${d.on}, null, ${d.reference}, ${e.recordedAt}) on conflict (id) do nothing`.execute(trx);
      } else if (e.type === 'CaseDecided' && d.kind === 'emergency_grant' && d.payment?.kind === 'one_off') {
        await sql`insert into rm_reserve_fund_movements (id, town_id, kind, fen, on_date, case_id, reference, recorded_at)
                  select ${d.decisionId}, c.town_id, 'draw', ${d.payment.fen}, ${d.payment.on}, ${d.caseId}, ${'先行救助'}, ${e.recordedAt}
                  from rm_reserve_fund_cases c where c.case_id = ${d.caseId}
                  on conflict (id) do nothing`.execute(trx);
      }
    }
  },
};
