import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from '../hash-chain';
import { UPLOAD_LIMITS, UploadTooLargeError, type RawRecord, type StagedRecord } from './staged-record';

type StagedError = Extract<StagedRecord, { error: unknown }>['error'];
import type { Db } from '../db';
import { fieldMessage } from '../../domain/shared/field-messages';

const WRITE_BATCH = 1000;

/**
 * Rows of an upload parked in a scratch table while it streams in. The content hash — which
 * decides whether this batch was imported before — is only known once the last byte is read,
 * and nothing may change before that; staging keeps memory flat (1,000 rows at a time) where
 * buffering the file would not. The hash is over the parsed rows in canonical JSON, so line
 * endings, a BOM or the order of JSON keys do not make a different batch.
 */
export class ImportStaging {
  constructor(private readonly db: Db) {}

  async stage(uploadId: string, records: AsyncIterable<StagedRecord>, maxRows = UPLOAD_LIMITS.maxRows): Promise<{ rowCount: number; contentHash: string }> {
    const hash = createHash('sha256');
    let batch: StagedRecord[] = [];
    let rowCount = 0;
    for await (const staged of records) {
      rowCount++;
      if (rowCount > maxRows) throw new UploadTooLargeError(`a batch has at most ${maxRows} rows; split the file`);
      const safe = withoutNul(staged);
      hash.update(`${canonicalJson('record' in safe ? safe.record : { error: safe.error })}\n`);
      batch.push(safe);
      if (batch.length >= WRITE_BATCH) {
        await this.write(uploadId, batch);
        batch = [];
      }
    }
    await this.write(uploadId, batch);
    return { rowCount, contentHash: hash.digest('hex') };
  }

  async read(uploadId: string, fromRow: number, toRow: number): Promise<StagedRecord[]> {
    // What write() stored: a record or an error, as JSON (text on a driver that does not parse jsonb).
    const rows = await sql<{ row_no: number; record: RawRecord | string; error: StagedError | string | null }>`
      select row_no, record, error from detection_import_staging
      where upload_id = ${uploadId}::uuid and row_no >= ${fromRow} and row_no <= ${toRow} order by row_no`.execute(this.db);
    const parse = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
    return rows.rows.map((r) => (r.error ? { row: Number(r.row_no), error: parse(r.error) } : { row: Number(r.row_no), record: parse(r.record) }));
  }

  async discard(uploadId: string): Promise<void> {
    await sql`delete from detection_import_staging where upload_id = ${uploadId}::uuid`.execute(this.db);
  }

  /** Uploads of a process that died mid-import leave rows behind; a day later nobody needs them. */
  async sweep(): Promise<void> {
    await sql`delete from detection_import_staging where created_at < now() - interval '1 day'`.execute(this.db);
  }

  private async write(uploadId: string, batch: readonly StagedRecord[]): Promise<void> {
    if (batch.length === 0) return;
    await sql`insert into detection_import_staging (upload_id, row_no, record, error)
              select ${uploadId}::uuid, (e->>'row')::integer, e->'record', e->'error' from jsonb_array_elements(${JSON.stringify(batch)}::jsonb) e`.execute(
      this.db,
    );
  }
}

/** jsonb refuses the NUL character; such a row is rejected rather than failing the upload. */
function withoutNul(staged: StagedRecord): StagedRecord {
  if ('record' in staged && JSON.stringify(staged.record).includes('\\u0000'))
    return { row: staged.row, error: { field: '(row)', message: fieldMessage('row.nul_character') } };
  return staged;
}
