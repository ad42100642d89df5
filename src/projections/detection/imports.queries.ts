import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../../application/pagination';
import type { DetectionPolicy } from '../../domain/detection/detection-policy';
import { SourceSchema, type Source } from '../../domain/detection/vocabulary';
import { day, iso, json } from './rows';

export interface ImportRecord {
  id: string;
  source: Source;
  batchId: string;
  contentHash: string;
  status: 'processing' | 'completed';
  rowCount: number;
  rowsDone: number;
  applied: number;
  unchanged: number;
  rejected: number;
  findingsRaised: number;
  findingsEscalated: number;
  personsFound: number;
  policyVersion: number;
  receivedOn: string;
  importedBy: string;
  startedAt: string;
  completedAt: string | null;
}

const importRecord = (r: Row<'rm_detection_imports'>): ImportRecord => ({
  id: r.id,
  source: SourceSchema.parse(r.source),
  batchId: r.batch_id,
  contentHash: r.content_hash,
  status: r.status === 'completed' ? 'completed' : 'processing',
  rowCount: Number(r.row_count),
  rowsDone: Number(r.rows_done),
  applied: Number(r.applied),
  unchanged: Number(r.unchanged),
  rejected: Number(r.rejected),
  findingsRaised: Number(r.findings_raised),
  findingsEscalated: Number(r.findings_escalated),
  personsFound: Number(r.persons_found),
  policyVersion: Number(r.policy_version),
  receivedOn: day(r.received_on)!,
  importedBy: r.imported_by,
  startedAt: iso(r.started_at)!,
  completedAt: iso(r.completed_at),
});

export async function getImport(db: Kysely<Database>, id: string): Promise<ImportRecord | null> {
  const row = await db.selectFrom('rm_detection_imports').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? importRecord(row) : null;
}

/** The import that already uses this batch id for this source, if any. */
export async function importByBatchId(db: Kysely<Database>, source: string, batchId: string): Promise<ImportRecord | null> {
  const row = await db.selectFrom('rm_detection_imports').selectAll().where('source', '=', source).where('batch_id', '=', batchId).executeTakeFirst();
  return row ? importRecord(row) : null;
}

export async function listImports(db: Kysely<Database>, filter: { source?: string; status?: string }, page: PageRequest): Promise<Page<ImportRecord>> {
  const after = decodeCursor<{ startedAt: string; id: string }>(page.cursor);
  const where = [sql`true`];
  if (filter.source) where.push(sql`source = ${filter.source}`);
  if (filter.status) where.push(sql`status = ${filter.status}`);
  if (after) where.push(sql`(started_at, id) < (${after.startedAt}::timestamptz, ${after.id}::uuid)`);
  const rows = await sql<
    Row<'rm_detection_imports'>
  >`select * from rm_detection_imports where ${sql.join(where, sql` and `)} order by started_at desc, id desc limit ${page.limit + 1}`.execute(db);
  const items = rows.rows.slice(0, page.limit).map(importRecord);
  const last = items.at(-1);
  return { items, nextCursor: rows.rows.length > page.limit && last ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null };
}

export interface RejectionRecord {
  row: number;
  field: string;
  message: string;
}

/** Rejections in row order; the cursor is the last (row, ordinal). */
export async function listRejections(db: Kysely<Database>, importId: string, page: PageRequest): Promise<Page<RejectionRecord>> {
  const after = decodeCursor<{ row: number; ordinal: number }>(page.cursor);
  const rows = await sql<Pick<Row<'rm_detection_rejections'>, 'row_no' | 'ordinal' | 'field' | 'message'>>`
    select row_no, ordinal, field, message from rm_detection_rejections
    where import_id = ${importId}::uuid ${after ? sql`and (row_no, ordinal) > (${Number(after.row)}, ${Number(after.ordinal)})` : sql``}
    order by row_no, ordinal limit ${page.limit + 1}`.execute(db);
  const page_ = rows.rows.slice(0, page.limit);
  const last = page_.at(-1);
  return {
    items: page_.map((r) => ({ row: Number(r.row_no), field: r.field, message: r.message })),
    nextCursor: rows.rows.length > page.limit && last ? encodeCursor({ row: Number(last.row_no), ordinal: Number(last.ordinal) }) : null,
  };
}

export async function detectionPolicies(db: Kysely<Database>): Promise<DetectionPolicy[]> {
  const rows = await sql<{ body: unknown }>`select body from rm_detection_policies order by version`.execute(db);
  return rows.rows.map((r) => json<DetectionPolicy>(r.body));
}
