import type { Kysely } from 'kysely';
import type { Page, PageRequest } from '../../application/pagination';
import { decodeCursor, encodeCursor } from '../../application/pagination';
import type { TownRow } from './towns.projection';

export interface TownView {
  id: string;
  code: string;
  name: string;
  status: string;
  version: number;
  registeredAt: string;
  updatedAt: string;
}

function toView(row: TownRow): TownView {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    status: row.status,
    version: Number(row.version),
    registeredAt: new Date(row.registered_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function getTown(db: Kysely<any>, id: string): Promise<TownView | null> {
  const row = await db.selectFrom('rm_towns').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toView(row as TownRow) : null;
}

/** Towns ordered by code, keyset-paginated. */
export async function listTowns(db: Kysely<any>, filter: { status?: string }, page: PageRequest): Promise<Page<TownView>> {
  const after = decodeCursor<{ code: string }>(page.cursor);
  let query = db.selectFrom('rm_towns').selectAll().orderBy('code').limit(page.limit + 1);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (after) query = query.where('code', '>', after.code);
  const rows = (await query.execute()) as TownRow[];
  const items = rows.slice(0, page.limit).map(toView);
  return { items, nextCursor: rows.length > page.limit ? encodeCursor({ code: items.at(-1)!.code }) : null };
}
