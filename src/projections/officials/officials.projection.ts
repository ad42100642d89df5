import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../application/event-store';
import type { OfficialEvent } from '../../domain/officials/official';
import type { Projection } from '../projection';
import { day } from '../row-values';

/** Officials and their appointments: inline, so a new appointment gives jurisdiction at once. */
export const officialsProjection: Projection = {
  name: 'officials',
  mode: 'inline',
  handles: ['OfficialAppointed', 'OfficialAppointmentEnded'],
  tables: ['rm_officials'],
  async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
    for (const raw of events) {
      const e = raw as unknown as OfficialEvent & { version: number };
      if (e.type === 'OfficialAppointed') {
        const d = e.data;
        await sql`insert into rm_officials (id, name, role, town_id, from_date, to_date, version) values (${d.officialId}, ${d.name}, ${d.role}, ${d.townId}, ${d.from}, null, ${e.version})
                  on conflict (id) do nothing`.execute(trx);
      } else {
        await sql`update rm_officials set to_date = ${e.data.to}, version = ${e.version} where id = ${e.data.officialId} and version < ${e.version}`.execute(trx);
      }
    }
  },
};

export async function listOfficials(db: Kysely<any>) {
  const rows = await sql<any>`select * from rm_officials order by role, name, id`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id as string,
    name: r.name as string,
    role: r.role as string,
    townId: (r.town_id as string | null) ?? null,
    from: day(r.from_date)!,
    to: day(r.to_date),
  }));
}
