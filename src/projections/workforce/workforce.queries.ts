import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import { WorkerLevelSchema, type WorkerFacts } from '../../domain/workforce/worker-facts';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../../application/pagination';
import { day } from '../row-values';
import { responsibilitiesOf } from '../geography/responsibilities.queries';

/** A worker as stored: the ID number and phone in full. The service masks them by role. */
export interface WorkerRecord {
  id: string;
  name: string;
  level: 'county' | 'town' | 'village';
  phone: string;
  idNumber: string;
  townId: string | null;
  villageId: string | null;
  hiredOn: string;
  leftOn: string | null;
  status: 'employed' | 'left';
  certificationLevel: string | null;
  version: number;
  certifications: { level: string; certificateNumber: string; certifiedOn: string }[];
  links: { kind: string; targetId: string; from: string; to: string | null }[];
  responsibleFor: { groupId: string; from: string; to: string | null }[];
}

// level and status are text columns; the projection only ever writes the domain's values.
const toRecord = (r: Row<'rm_workers'>): Omit<WorkerRecord, 'certifications' | 'links' | 'responsibleFor'> => ({
  id: r.id,
  name: r.name,
  level: r.level as WorkerRecord['level'],
  phone: r.phone,
  idNumber: r.id_number,
  townId: r.town_id,
  villageId: r.village_id,
  hiredOn: day(r.hired_on)!,
  leftOn: day(r.left_on),
  status: r.status as WorkerRecord['status'],
  certificationLevel: r.certification_level,
  version: Number(r.version),
});

export async function getWorker(db: Kysely<Database>, id: string): Promise<WorkerRecord | null> {
  const row = await db.selectFrom('rm_workers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const [certs, links, groups] = await Promise.all([
    db.selectFrom('rm_certifications').selectAll().where('worker_id', '=', id).orderBy('certified_on').execute(),
    db.selectFrom('rm_worker_links').selectAll().where('worker_id', '=', id).orderBy('from_date').execute(),
    responsibilitiesOf(db, id),
  ]);
  return {
    ...toRecord(row),
    certifications: certs.map((c) => ({ level: c.level, certificateNumber: c.certificate_number, certifiedOn: day(c.certified_on)! })),
    links: links.map((l) => ({ kind: l.kind, targetId: l.target_id, from: day(l.from_date)!, to: day(l.to_date) })),
    responsibleFor: groups,
  };
}

export async function workerFacts(db: Kysely<Database>, id: string): Promise<(WorkerFacts & { hiredOn: string; leftOn: string | null }) | null> {
  const row = await db.selectFrom('rm_workers').select(['id', 'level', 'status', 'hired_on', 'left_on']).where('id', '=', id).executeTakeFirst();
  // level and status are text columns; the projection only ever writes the domain's values.
  return row
    ? {
        workerId: row.id,
        level: WorkerLevelSchema.parse(row.level),
        status: row.status === 'left' ? 'left' : 'employed',
        hiredOn: day(row.hired_on)!,
        leftOn: day(row.left_on),
      }
    : null;
}

export async function findWorkerByIdNumber(db: Kysely<Database>, idNumber: string): Promise<string | null> {
  const row = await db.selectFrom('rm_workers').select('id').where('id_number', '=', idNumber).executeTakeFirst();
  return row?.id ?? null;
}

export async function listWorkers(
  db: Kysely<Database>,
  filter: { level?: string; townId?: string; status?: string; visibleTowns?: ReadonlySet<string> | null; selfId?: string },
  page: PageRequest,
): Promise<Page<Omit<WorkerRecord, 'certifications' | 'links' | 'responsibleFor'>>> {
  const after = decodeCursor<{ name: string; id: string }>(page.cursor);
  let query = db
    .selectFrom('rm_workers')
    .selectAll()
    .orderBy('name')
    .orderBy('id')
    .limit(page.limit + 1);
  if (filter.level) query = query.where('level', '=', filter.level);
  if (filter.townId) query = query.where('town_id', '=', filter.townId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.visibleTowns) {
    const towns = [...filter.visibleTowns];
    query = query.where((eb) =>
      eb.or([...(towns.length ? [eb('town_id', 'in', towns)] : []), ...(filter.selfId ? [eb('id', '=', filter.selfId)] : []), eb.val(false)]),
    );
  }
  if (after) query = query.where((eb) => eb.or([eb('name', '>', after.name), eb.and([eb('name', '=', after.name), eb('id', '>', after.id)])]));
  const rows = await query.execute();
  const items = rows.slice(0, page.limit).map(toRecord);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ name: last.name, id: last.id }) : null };
}

export async function listTrainingSessions(db: Kysely<Database>, page: PageRequest) {
  const after = decodeCursor<{ heldOn: string; id: string }>(page.cursor);
  let query = db
    .selectFrom('rm_training_sessions as s')
    .select([
      's.id',
      's.title',
      's.held_on',
      's.kind',
      's.version',
      sql<string>`(select count(*) from rm_training_attendance a where a.session_id = s.id)`.as('attendees'),
    ])
    .orderBy('s.held_on', 'desc')
    .orderBy('s.id')
    .limit(page.limit + 1);
  if (after) query = query.where((eb) => eb.or([eb('s.held_on', '<', after.heldOn), eb.and([eb('s.held_on', '=', after.heldOn), eb('s.id', '>', after.id)])]));
  const rows = await query.execute();
  const items = rows
    .slice(0, page.limit)
    .map((r) => ({ id: r.id, title: r.title, heldOn: day(r.held_on)!, kind: r.kind, version: Number(r.version), attendees: Number(r.attendees) }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ heldOn: last.heldOn, id: last.id }) : null };
}

export async function listMentoringPairs(db: Kysely<Database>, page: PageRequest) {
  const after = decodeCursor<{ from: string; id: string }>(page.cursor);
  let query = db
    .selectFrom('rm_mentoring')
    .selectAll()
    .orderBy('from_date', 'desc')
    .orderBy('id')
    .limit(page.limit + 1);
  if (after) query = query.where((eb) => eb.or([eb('from_date', '<', after.from), eb.and([eb('from_date', '=', after.from), eb('id', '>', after.id)])]));
  const rows = await query.execute();
  const items = rows.slice(0, page.limit).map((r) => ({ id: r.id, mentorId: r.mentor_id, menteeId: r.mentee_id, from: day(r.from_date)!, to: day(r.to_date) }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ from: last.from, id: last.id }) : null };
}

/** Town workers' links to a village worker still open after a day. */
export async function openLinksTo(db: Kysely<Database>, villageWorkerId: string, day_: string): Promise<{ workerId: string; from: string }[]> {
  const rows = await sql<{ worker_id: string; from_date: unknown }>`
    select worker_id, from_date from rm_worker_links
    where kind = 'town_worker_link' and target_id = ${villageWorkerId}::uuid and (to_date is null or to_date > ${day_}::date)`.execute(db);
  return rows.rows.map((r) => ({ workerId: r.worker_id, from: day(r.from_date)! }));
}

/** Whether a town worker's link to a village worker is in force on a day. */
export async function townWorkerLinkedOn(db: Kysely<Database>, townWorkerId: string, villageWorkerId: string, onDate: string): Promise<boolean> {
  const link =
    await sql`select 1 from rm_worker_links where kind = 'town_worker_link' and worker_id = ${townWorkerId}::uuid and target_id = ${villageWorkerId}::uuid
                         and from_date <= ${onDate}::date and (to_date is null or to_date > ${onDate}::date)`.execute(db);
  return link.rows.length > 0;
}

/** The county workers linked to a town on the day or later (what a town's retirement must end first). */
export async function countyWorkersLinkedTo(db: Kysely<Database>, townId: string, today: string): Promise<string[]> {
  const links = await db
    .selectFrom('rm_worker_links')
    .select('worker_id')
    .where('kind', '=', 'county_town_link')
    .where('target_id', '=', townId)
    .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>', sql<string>`${today}::date`)]))
    .execute();
  return links.map((l) => l.worker_id);
}
