import { randomUUID } from 'node:crypto';
import type { PersonIndex } from '../privacy/person-index';
import type { DataImportCommand } from '../../domain/detection/data-import.decide';
import type { DataImportState } from '../../domain/detection/data-import.events';
import type { Source } from '../../domain/detection/vocabulary';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { getImport, importByBatchId, listImports, listRejections, type ImportRecord, type RejectionRecord } from '../../projections/detection/imports.queries';
import { authorize } from '../permissions/permissions';
import { countyDate } from '../clock';
import type { CommandContext, CommandHandler } from '../command-handler';
import type { CommandInput } from '../aggregate';
import { dataImports } from './detection.aggregates';
import { NotFoundError, isUniqueViolation } from '../errors';
import { deterministicUuid } from '../ids';
import type { Page, PageRequest } from '../pagination';
import { detectionPermissions as access } from '../permissions/detection.permissions';
import type { DetectionPolicyService } from './detection-policy.service';
import { FindingDispatcher } from './finding-dispatcher';
import { ImportChunkProcessor, type ChunkContext, type PreparedChunk } from './import-chunk';
import { ImportStaging } from './import-staging';
import type { StagedRecord } from './staged-record';
import type { Db } from '../db';

/** Rows per chunk: one event and a handful of queries each; 50,000 rows are 100 chunks. */
export const IMPORT_CHUNK_SIZE = 500;
/** The import's state is a few counters; snapshot it every 10 chunks (key names its shape). */
export const DATA_IMPORT_SNAPSHOT = { key: 'data-import-state@1', every: 10 };

type Reader = Pick<CommandContext, 'actor' | 'now'>;
type ChunkRange = { chunk: number; fromRow: number; toRow: number };
type Begun = Extract<DataImportState, { status: 'started' | 'completed' }>;

export interface ImportResult {
  import: ImportRecord;
  /** True when this content had been imported before: nothing changed. */
  duplicate: boolean;
}

/**
 * Imports of other departments' data. The upload is staged first (streamed, hashed), so the
 * content hash decides before anything is written whether this is a batch seen before; then
 * rows are processed in chunks read back from staging, each chunk recorded as one event.
 */
export class DataImportService {
  private readonly staging: ImportStaging;
  private readonly chunks: ImportChunkProcessor;

  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly policies: DetectionPolicyService,
    persons: PersonIndex,
  ) {
    this.staging = new ImportStaging(db);
    this.chunks = new ImportChunkProcessor(db, new FindingDispatcher(commands), persons);
  }

  async import(context: CommandContext, input: { source: Source; batchId?: string | undefined; records: AsyncIterable<StagedRecord> }): Promise<ImportResult> {
    await authorize(context.actor, access.import, input.source, 'import department data');
    const today = countyDate(context.now);
    const policy = await this.policies.inForce(today); // refuse before reading the upload
    const uploadId = randomUUID();
    try {
      await this.staging.sweep();
      const { rowCount, contentHash } = await this.staging.stage(uploadId, input.records);
      if (rowCount === 0) throw new DomainRuleViolation('data_import.empty', 'the batch has no rows');
      const importId = deterministicUuid(`data-import:${input.source}:${contentHash}`);
      const step = (name: string): CommandContext => ({ ...context, commandId: deterministicUuid(`data-import:${importId}:${name}`) });

      const existing = await getImport(this.db, importId);
      if (existing?.status === 'completed') return { import: existing, duplicate: true };
      const batchId = input.batchId ?? contentHash;
      const holder = await importByBatchId(this.db, input.source, batchId);
      if (holder && holder.id !== importId) throw batchReused(batchId, holder.id);

      const started = await this.run(importId, step('start'), {
        type: 'StartDataImport',
        data: {
          importId,
          source: input.source,
          batchId,
          contentHash,
          rowCount,
          chunkSize: IMPORT_CHUNK_SIZE,
          policyVersion: policy.version,
          receivedOn: today,
        },
      });
      // A resumed import (a crash or a concurrent twin) goes on with its own day, policy and chunk size.
      const state = started.state as Begun;
      const chunkPolicy = state.policyVersion === policy.version ? policy : await this.policies.version(state.policyVersion);
      const chunkContext: ChunkContext = { importId, source: input.source, policy: chunkPolicy, today: state.receivedOn, context };
      const ranges: ChunkRange[] = [];
      for (let chunk = state.chunks + 1, from = state.rowsDone + 1; from <= rowCount; chunk++, from += state.chunkSize) {
        ranges.push({ chunk, fromRow: from, toRow: Math.min(from + state.chunkSize - 1, rowCount) });
      }
      let held = { state: started.state, version: started.version };
      // Chunk k + 1 is read and judged while chunk k's findings and record are written: the
      // database works on one while this process works on the other.
      let next = ranges.length > 0 ? this.prepare(chunkContext, uploadId, ranges[0]!, null) : null;
      try {
        for (const [k, range] of ranges.entries()) {
          const prepared = await next!;
          next = k + 1 < ranges.length ? this.prepare(chunkContext, uploadId, ranges[k + 1]!, prepared) : null;
          // Awaited at the next chunk; a failure meanwhile must not count as unhandled.
          next?.catch(() => undefined);
          const result = await this.chunks.dispatch(chunkContext, prepared);
          const { chunk, fromRow, toRow } = range;
          const recorded = await this.run(importId, step(`chunk:${chunk}`), { type: 'RecordImportChunk', data: { chunk, fromRow, toRow, ...result } }, held);
          held = { state: recorded.state, version: recorded.version };
        }
      } finally {
        // No read of the staging may outlive the import (it is discarded below).
        await next?.catch(() => undefined);
      }
      await this.run(importId, step('complete'), { type: 'CompleteDataImport', data: {} }, held);
      return { import: (await getImport(this.db, importId))!, duplicate: false };
    } finally {
      await this.staging.discard(uploadId);
    }
  }

  async list(context: Reader, filter: { source?: string; status?: string }, page: PageRequest): Promise<Page<ImportRecord>> {
    await authorize(context.actor, access.readImports, undefined, 'read data imports');
    return listImports(this.db, filter, page);
  }

  async get(context: Reader, importId: string): Promise<ImportRecord> {
    await authorize(context.actor, access.readImports, undefined, 'read data imports');
    const found = await getImport(this.db, importId);
    if (!found) throw new NotFoundError('data import', importId);
    return found;
  }

  async rejections(context: Reader, importId: string, page: PageRequest): Promise<Page<RejectionRecord>> {
    await this.get(context, importId);
    return listRejections(this.db, importId, page);
  }

  /** Every rejection, page by page from the database: authorised first, then a download that never holds them all. */
  async rejectionsDownload(context: Reader, importId: string): Promise<AsyncIterable<RejectionRecord>> {
    await this.get(context, importId);
    return this.rejectionPages(importId);
  }

  private async *rejectionPages(importId: string): AsyncGenerator<RejectionRecord> {
    let cursor: string | undefined;
    do {
      const page = await listRejections(this.db, importId, { limit: 1000, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  private prepare(ctx: ChunkContext, uploadId: string, range: ChunkRange, inFlight: PreparedChunk | null): Promise<PreparedChunk> {
    return this.staging.read(uploadId, range.fromRow, range.toRow).then((staged) => this.chunks.prepare(ctx, range, staged, inFlight));
  }

  /** One command on the import's stream; `held` is the state its previous command left (no read then). */
  private async run(importId: string, context: CommandContext, command: CommandInput<DataImportCommand>, held?: { state: DataImportState; version: number }) {
    try {
      // Up to 402 events of up to 500 rows each: every chunk would otherwise re-read all before it.
      return await this.commands.handle(dataImports, importId, command, context, { snapshot: DATA_IMPORT_SNAPSHOT, ...(held ? { known: held } : {}) });
    } catch (error) {
      // Two different batches claiming one batch id at once: the read model's unique index refused the second.
      if (isUniqueViolation(error, 'rm_detection_imports_batch')) throw batchReused(null, null);
      throw error;
    }
  }
}

function batchReused(batchId: string | null, importId: string | null): DomainRuleViolation {
  return new DomainRuleViolation(
    'data_import.batch_id_reused',
    'this batch id was already imported with different content; give the corrected file a new batch id',
    {
      ...(batchId ? { batchId } : {}),
      ...(importId ? { existingImportId: importId } : {}),
    },
  );
}
