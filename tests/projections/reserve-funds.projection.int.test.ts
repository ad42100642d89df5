import { describe, it } from 'vitest';
import { reserveFundsProjection } from '../../src/projections/assistance/reserve-funds.projection';
import type { Db } from '../../src/storage/database';
import { applied, AT, decided, ids } from './case-events';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(reserveFundsProjection);
const topUpId = '00000000-0000-4000-8000-00000000f001';
const grantId = '00000000-0000-4000-8000-00000000f002';
const movements = (db: Db) =>
  db.selectFrom('rm_reserve_fund_movements').select(['id', 'town_id', 'kind', 'fen', 'on_date', 'case_id', 'reference']).orderBy('kind', 'desc').execute();

describe('reserve-funds projection', () => {
  it('records a top-up, and an emergency grant as a draw on the case’s town fund', async () => {
    await spec
      .given([
        {
          type: 'ReserveFundToppedUp',
          data: { townId: ids.townId, topUpId, fen: 5_000_000, on: '2026-01-03', reference: '县民发〔2026〕1号', recordedAt: AT },
        },
        applied(),
        decided(grantId, 'emergency_grant', 'granted', { kind: 'one_off', fen: 200_000, on: '2026-01-08' }, { paperworkDueOn: '2026-01-15' }),
      ])
      .expectRows(movements, [
        { id: topUpId, town_id: ids.townId, kind: 'top_up', fen: '5000000', on_date: '2026-01-03', case_id: null, reference: '县民发〔2026〕1号' },
        { id: grantId, town_id: ids.townId, kind: 'draw', fen: '200000', on_date: '2026-01-08', case_id: ids.caseId, reference: '先行救助' },
      ]);
  });

  it('draws nothing for a decision that is not an emergency one-off grant', async () => {
    await spec
      .given([applied('dibao'), decided(grantId, 'initial', 'granted', { kind: 'monthly', monthlyFen: 91_000, from: '2026-02-01' })])
      .expectRows(movements, []);
  });

  it('keeps its own case → town map', async () => {
    await spec
      .given([applied()])
      .expectRows((db) => db.selectFrom('rm_reserve_fund_cases').selectAll().execute(), [{ case_id: ids.caseId, town_id: ids.townId }]);
  });
});
