import type { Database } from '../../storage/database';
import type { Kysely } from 'kysely';
import type { ReserveMovement } from '../../domain/assistance/reserve-fund';
import { day, iso, num } from '../row-values';

export interface MovementRow extends ReserveMovement {
  id: string;
  townId: string;
  caseId: string | null;
  reference: string;
  recordedAt: string;
}

/** Movements of one town or all, dated on or before `asOf`, oldest first. */
export async function reserveMovements(db: Kysely<Database>, asOf: string, townId?: string): Promise<MovementRow[]> {
  const rows = await db
    .selectFrom('rm_reserve_fund_movements')
    .select(['id', 'town_id', 'kind', 'fen', 'on_date', 'case_id', 'reference', 'recorded_at'])
    .where('on_date', '<=', asOf)
    .$if(!!townId, (q) => q.where('town_id', '=', townId!))
    .orderBy('on_date')
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    townId: r.town_id,
    kind: r.kind === 'draw' ? 'draw' : 'top_up',
    fen: num(r.fen),
    on: day(r.on_date)!,
    caseId: r.case_id,
    reference: r.reference,
    recordedAt: iso(r.recorded_at),
  }));
}
