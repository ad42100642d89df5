import type { LedgerSealer } from '../../application/ledger/ledger-sealer';
import { ALL_EVENT_TYPES, type Projection } from '../projection';

export const LEDGER_SEALER = 'ledger-sealer';

/**
 * The ledger's sealer as an async projection: the runner hands it every committed event in
 * gap-safe global order, and its checkpoint moves in the same transaction as the leaves, so no
 * event is sealed twice or skipped. An admin rebuild re-seals the leaves from the log; signed
 * heads are history and are never deleted.
 */
export function ledgerSealerProjection(sealer: LedgerSealer): Projection {
  return {
    name: LEDGER_SEALER,
    mode: 'async',
    handles: ALL_EVENT_TYPES,
    tables: ['ledger_leaves', 'ledger_nodes'],
    async apply(trx, events) {
      await sealer.seal(trx, events);
    },
  };
}
