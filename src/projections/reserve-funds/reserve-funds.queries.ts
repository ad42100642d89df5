import type { Database } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import type { ReserveMovement } from '../../domain/assistance/reserve-fund';
import { day, num } from '../row-values';

export interface MovementRow extends ReserveMovement {
  id: string;
  townId: string;
  caseId: string | null;
  reference: string;
  recordedAt: string;
}

/** Movements of one town or all, dated on or before `asOf`, oldest first. */
export async function reserveMovements(db: Kysely<Database>, asOf: string, townId?: string): Promise<MovementRow[]> {
  const rows = await sql<any>`select id, town_id, kind, fen, on_date, case_id, reference, recorded_at from rm_reserve_fund_movements
    where on_date <= ${asOf}::date ${townId ? sql`and town_id = ${townId}::uuid` : sql``} order by on_date, recorded_at, id`.execute(db);
  return rows.rows.map((r) => ({ id: r.id, townId: r.town_id, kind: r.kind, fen: num(r.fen), on: day(r.on_date)!, caseId: r.case_id, reference: r.reference, recordedAt: new Date(r.recorded_at).toISOString() }));
}
