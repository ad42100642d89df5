import type { Database, Row } from '../../storage/database';
import type { Kysely } from 'kysely';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../../application/pagination';
import { json } from '../row-values';

export interface StationView {
  id: string;
  kind: 'town_station' | 'service_point';
  townId: string;
  villageId: string | null;
  name: string;
  status: 'planned' | 'operating';
  quality: boolean;
  checklist: Record<string, { met: boolean; note?: string; on?: string }>;
  openedOn: string | null;
  version: number;
}

// kind and status are text columns; the projection only ever writes the domain's values.
const view = (r: Row<'rm_stations'>): StationView => ({
  id: r.id,
  kind: r.kind as StationView['kind'],
  townId: r.town_id,
  villageId: r.village_id,
  name: r.name,
  status: r.status as StationView['status'],
  quality: r.quality,
  checklist: json<StationView['checklist']>(r.checklist),
  openedOn: r.opened_on == null ? null : new Date(r.opened_on).toISOString().slice(0, 10),
  version: Number(r.version),
});

export async function getStation(db: Kysely<Database>, id: string): Promise<StationView | null> {
  const row = await db.selectFrom('rm_stations').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? view(row) : null;
}

export async function listStations(
  db: Kysely<Database>,
  filter: { townId?: string; villageId?: string; kind?: string; status?: string; townIds?: readonly string[] | null; villageIds?: readonly string[] | null },
  page: PageRequest,
): Promise<Page<StationView>> {
  const after = decodeCursor<{ name: string; id: string }>(page.cursor);
  let query = db
    .selectFrom('rm_stations')
    .selectAll()
    .orderBy('name')
    .orderBy('id')
    .limit(page.limit + 1);
  if (filter.townId) query = query.where('town_id', '=', filter.townId);
  if (filter.villageId) query = query.where('village_id', '=', filter.villageId);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.townIds) query = filter.townIds.length ? query.where('town_id', 'in', [...filter.townIds]) : query.where((eb) => eb.val(false));
  // A village worker sees the service points of their villages (and not the town station).
  if (filter.villageIds) query = filter.villageIds.length ? query.where('village_id', 'in', [...filter.villageIds]) : query.where((eb) => eb.val(false));
  if (after) query = query.where((eb) => eb.or([eb('name', '>', after.name), eb.and([eb('name', '=', after.name), eb('id', '>', after.id)])]));
  const rows = await query.execute();
  const items = rows.slice(0, page.limit).map(view);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ name: last.name, id: last.id }) : null };
}
