import type { Decider } from '../shared/decider';
import { assertNever } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import {
  evolveDataImport,
  initialDataImportState,
  type AppliedRow,
  type DataImportEvent,
  type DataImportState,
  type FindingCounts,
  type Rejection,
} from './data-import.events';
import type { Source } from './vocabulary';

export type DataImportCommand =
  | {
      type: 'StartDataImport';
      data: {
        importId: string;
        source: Source;
        batchId: string;
        contentHash: string;
        rowCount: number;
        chunkSize: number;
        policyVersion: number;
        receivedOn: string;
        now: string;
      };
    }
  | {
      type: 'RecordImportChunk';
      data: {
        chunk: number;
        fromRow: number;
        toRow: number;
        applied: AppliedRow[];
        unchanged: number[];
        rejected: Rejection[];
        findings: FindingCounts;
        now: string;
      };
    }
  | { type: 'CompleteDataImport'; data: { now: string } };

type Begun = Extract<DataImportState, { status: 'started' | 'completed' }>;

function requireStarted(state: DataImportState): Begun {
  if (state.status === 'none') throw new IllegalStateError('data_import.not_started', 'the import has not started', state.status, ['started']);
  return state;
}

/** Nothing is silently dropped: every row of the chunk's range is applied, unchanged or rejected, exactly once. */
function requireEveryRowAccounted(d: Extract<DataImportCommand, { type: 'RecordImportChunk' }>['data']): void {
  const seen = new Map<number, string>();
  const mark = (row: number, as: string) => {
    const before = seen.get(row);
    if (before && before !== as) throw new DomainRuleViolation('data_import.row_counted_twice', `row ${row} is both ${before} and ${as}`, { row });
    seen.set(row, as);
  };
  d.applied.forEach((r) => mark(r.row, 'applied'));
  d.unchanged.forEach((row) => mark(row, 'unchanged'));
  d.rejected.forEach((r) => mark(r.row, 'rejected'));
  const expected = d.toRow - d.fromRow + 1;
  const inRange = [...seen.keys()].filter((row) => row >= d.fromRow && row <= d.toRow).length;
  if (inRange !== expected || seen.size !== expected) {
    throw new DomainRuleViolation('data_import.rows_unaccounted', `rows ${d.fromRow}–${d.toRow}: ${expected - inRange} not accounted for`, {
      fromRow: d.fromRow,
      toRow: d.toRow,
    });
  }
}

export function decideDataImport(command: DataImportCommand, state: DataImportState): DataImportEvent[] {
  switch (command.type) {
    case 'StartDataImport': {
      const d = command.data;
      // The id derives from source and content: an existing stream is this same batch (a retry or a resume).
      if (state.status !== 'none') return [];
      if (d.rowCount < 1) throw new DomainRuleViolation('data_import.empty', 'the batch has no rows');
      const { now, ...rest } = d;
      return [{ type: 'DataImportStarted', data: { ...rest, startedAt: now } }];
    }
    case 'RecordImportChunk': {
      const s = requireStarted(state);
      const d = command.data;
      if (s.status === 'completed' || d.chunk <= s.chunks) return []; // recorded before: a resumed import skips it
      if (d.chunk !== s.chunks + 1 || d.fromRow !== s.rowsDone + 1) {
        throw new DomainRuleViolation('data_import.chunk_out_of_order', `chunk ${d.chunk} does not follow chunk ${s.chunks}`, {
          expectedChunk: s.chunks + 1,
          expectedFromRow: s.rowsDone + 1,
        });
      }
      if (d.toRow > s.rowCount) throw new DomainRuleViolation('data_import.rows_beyond_batch', `the batch has ${s.rowCount} rows`, { rowCount: s.rowCount });
      requireEveryRowAccounted(d);
      return [
        {
          type: 'DataImportChunkRecorded',
          data: {
            importId: s.importId,
            source: s.source,
            chunk: d.chunk,
            fromRow: d.fromRow,
            toRow: d.toRow,
            applied: d.applied,
            unchanged: d.unchanged,
            rejected: d.rejected,
            findings: d.findings,
            recordedAt: d.now,
          },
        },
      ];
    }
    case 'CompleteDataImport': {
      const s = requireStarted(state);
      if (s.status === 'completed') return [];
      if (s.rowsDone !== s.rowCount)
        throw new DomainRuleViolation('data_import.incomplete', `${s.rowCount - s.rowsDone} rows are not processed yet`, {
          rowsDone: s.rowsDone,
          rowCount: s.rowCount,
        });
      return [{ type: 'DataImportCompleted', data: { importId: s.importId, totals: s.totals, completedAt: command.data.now } }];
    }
    default:
      return assertNever(command);
  }
}

export const dataImportDecider: Decider<DataImportCommand, DataImportEvent, DataImportState> = {
  decide: decideDataImport,
  evolve: evolveDataImport,
  initialState: initialDataImportState,
};
