import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { ObservationSchema } from './observation';
import { SourceSchema, type Source } from './vocabulary';

/**
 * One stream per import (`data-import-<id>`), the id derived from the source and the content
 * hash: the same content imported again lands on the same, completed stream and changes
 * nothing. Rows are recorded in chunks (a 50,000-row batch is ~100 events, not one huge one),
 * and every row of a chunk is either applied, unchanged (already known) or rejected with reasons.
 */
const Uuid = z.string().uuid();
const At = z.string().datetime();
const Count = z.int().nonnegative();

/** An applied row: the observation and who it is about (by person id, no ID number or name). */
export const AppliedRowSchema = z.object({
  row: z.int().positive(),
  personId: Uuid,
  matched: z.boolean(),
  householdId: Uuid.nullable(),
  /** Identifies the observation across imports: the same facts sent again are "unchanged". */
  recordKey: z.string().min(1),
  observation: ObservationSchema,
});
export const RejectionSchema = z.object({ row: z.int().positive(), field: z.string(), message: z.string() });
export type AppliedRow = z.infer<typeof AppliedRowSchema>;
export type Rejection = z.infer<typeof RejectionSchema>;

export const FindingCountsSchema = z.object({ raised: Count, escalated: Count, personsFound: Count });
export type FindingCounts = z.infer<typeof FindingCountsSchema>;

export const DataImportStartedSchema = z.object({
  importId: Uuid,
  source: SourceSchema,
  /** The department's own batch reference, or the content hash when none was given. */
  batchId: z.string().min(1),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  rowCount: z.int().positive(),
  chunkSize: z.int().positive(),
  policyVersion: z.int().min(1),
  receivedOn: z.iso.date(),
  startedAt: At,
});
export const DataImportChunkRecordedSchema = z.object({
  importId: Uuid,
  source: SourceSchema,
  chunk: z.int().positive(),
  fromRow: z.int().positive(),
  toRow: z.int().positive(),
  applied: z.array(AppliedRowSchema),
  unchanged: z.array(z.int().positive()),
  rejected: z.array(RejectionSchema),
  findings: FindingCountsSchema,
  recordedAt: At,
});
export const TotalsSchema = z.object({
  applied: Count,
  unchanged: Count,
  rejected: Count,
  findingsRaised: Count,
  findingsEscalated: Count,
  personsFound: Count,
});
export type ImportTotals = z.infer<typeof TotalsSchema>;
export const DataImportCompletedSchema = z.object({ importId: Uuid, totals: TotalsSchema, completedAt: At });

export type DataImportEvent =
  | { type: 'DataImportStarted'; data: z.infer<typeof DataImportStartedSchema> }
  | { type: 'DataImportChunkRecorded'; data: z.infer<typeof DataImportChunkRecordedSchema> }
  | { type: 'DataImportCompleted'; data: z.infer<typeof DataImportCompletedSchema> };

export const dataImportEvents = {
  DataImportStarted: { schema: DataImportStartedSchema, version: 1 },
  DataImportChunkRecorded: { schema: DataImportChunkRecordedSchema, version: 1 },
  DataImportCompleted: { schema: DataImportCompletedSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
export type DataImportState =
  | { status: 'none' }
  | {
      status: 'started' | 'completed';
      importId: string;
      source: Source;
      contentHash: string;
      rowCount: number;
      chunkSize: number;
      policyVersion: number;
      receivedOn: string;
      chunks: number;
      /** Rows accounted for so far: the last chunk's `toRow`. */
      rowsDone: number;
      totals: ImportTotals;
    };

export const initialDataImportState = (): DataImportState => ({ status: 'none' });

const rowsOf = (rejected: readonly { row: number }[]) => new Set(rejected.map((r) => r.row)).size;

export function evolveDataImport(state: DataImportState, event: DataImportEvent): DataImportState {
  if (event.type === 'DataImportStarted') {
    const d = event.data;
    const totals = { applied: 0, unchanged: 0, rejected: 0, findingsRaised: 0, findingsEscalated: 0, personsFound: 0 };
    return {
      status: 'started',
      importId: d.importId,
      source: d.source,
      contentHash: d.contentHash,
      rowCount: d.rowCount,
      chunkSize: d.chunkSize,
      policyVersion: d.policyVersion,
      receivedOn: d.receivedOn,
      chunks: 0,
      rowsDone: 0,
      totals,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'DataImportChunkRecorded': {
      const d = event.data;
      const t = state.totals;
      return {
        ...state,
        chunks: d.chunk,
        rowsDone: d.toRow,
        totals: {
          applied: t.applied + d.applied.length,
          unchanged: t.unchanged + d.unchanged.length,
          rejected: t.rejected + rowsOf(d.rejected),
          findingsRaised: t.findingsRaised + d.findings.raised,
          findingsEscalated: t.findingsEscalated + d.findings.escalated,
          personsFound: t.personsFound + d.findings.personsFound,
        },
      };
    }
    case 'DataImportCompleted':
      return { ...state, status: 'completed' };
    default:
      return assertNever(event);
  }
}

export const dataImportStreamId = (importId: string) => `data-import-${importId}`;
