import type { OfficialEvent } from '../../domain/assistance/official';
import type { Db } from '../../storage/database';
import { day } from '../row-values';
import { typedProjection } from '../typed-projection';

/** Officials and their appointments: inline, so a new appointment gives jurisdiction at once. */
export const officialsProjection = typedProjection<OfficialEvent>({
  name: 'officials',
  mode: 'inline',
  tables: ['rm_officials'],
  handlers: {
    async OfficialAppointed(trx, { data: d, version }) {
      await trx
        .insertInto('rm_officials')
        .values({ id: d.officialId, name: d.name, role: d.role, town_id: d.townId, from_date: d.from, to_date: null, version })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async OfficialAppointmentEnded(trx, { data: d, version }) {
      await trx.updateTable('rm_officials').set({ to_date: d.to, version }).where('id', '=', d.officialId).where('version', '<', String(version)).execute();
    },
  },
});

export async function listOfficials(db: Db) {
  const rows = await db
    .selectFrom('rm_officials')
    .select(['id', 'name', 'role', 'town_id', 'from_date', 'to_date'])
    .orderBy('role')
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, townId: r.town_id, from: day(r.from_date)!, to: day(r.to_date) }));
}
