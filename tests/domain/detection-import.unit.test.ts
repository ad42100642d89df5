import { describe, it } from 'vitest';
import { dataImportDecider, type DataImportCommand } from '../../src/domain/detection/data-import.decide';
import { dataImportEvents, type AppliedRow, type DataImportEvent } from '../../src/domain/detection/data-import.events';
import { given, NOW, uuid } from './decider-spec';

const HASH = 'a'.repeat(64);
const start: DataImportCommand = {
  type: 'StartDataImport',
  data: {
    importId: uuid(1),
    source: 'education',
    batchId: 'B1',
    contentHash: HASH,
    rowCount: 3,
    chunkSize: 2,
    policyVersion: 1,
    receivedOn: '2026-03-02',
    now: NOW,
  },
};
const started: DataImportEvent = {
  type: 'DataImportStarted',
  data: {
    importId: uuid(1),
    source: 'education',
    batchId: 'B1',
    contentHash: HASH,
    rowCount: 3,
    chunkSize: 2,
    policyVersion: 1,
    receivedOn: '2026-03-02',
    startedAt: NOW,
  },
};
const applied = (row: number): AppliedRow => ({
  row,
  personId: uuid(100 + row),
  matched: false,
  householdId: null,
  recordKey: `k${row}`,
  observation: { kind: 'school_status', observedOn: '2026-02-01', status: 'enrolled', schoolAid: false, schoolName: null },
});
const none = { raised: 0, escalated: 0, personsFound: 0 };
const chunk = (n: number, fromRow: number, toRow: number, rows: { applied?: number[]; unchanged?: number[]; rejected?: number[] }): DataImportCommand => ({
  type: 'RecordImportChunk',
  data: {
    chunk: n,
    fromRow,
    toRow,
    applied: (rows.applied ?? []).map(applied),
    unchanged: rows.unchanged ?? [],
    rejected: (rows.rejected ?? []).map((row) => ({ row, field: 'name', message: 'required' })),
    findings: none,
    now: NOW,
  },
});
const recorded = (command: DataImportCommand): DataImportEvent => {
  const { now, ...d } = command.data as Extract<DataImportCommand, { type: 'RecordImportChunk' }>['data'];
  return { type: 'DataImportChunkRecorded', data: { importId: uuid(1), source: 'education', ...d, recordedAt: now } };
};

describe('data import decider', () => {
  it('starts an import', () => {
    given(dataImportDecider, [], dataImportEvents).when(start).then([started]);
  });
  it('starting again (a retry or a resume) changes nothing', () => {
    given(dataImportDecider, [started]).when(start).then([]);
  });

  describe('when recording chunks', () => {
    it('records a chunk whose rows are all applied, unchanged or rejected', () => {
      const c = chunk(1, 1, 2, { applied: [1], rejected: [2] });
      given(dataImportDecider, [started], dataImportEvents)
        .when(c)
        .then([recorded(c)]);
    });
    it('refuses a chunk that leaves a row unaccounted for — nothing is dropped silently', () => {
      given(dataImportDecider, [started])
        .when(chunk(1, 1, 2, { applied: [1] }))
        .thenThrows('data_import.rows_unaccounted');
    });
    it('refuses a row counted both applied and rejected', () => {
      given(dataImportDecider, [started])
        .when(chunk(1, 1, 2, { applied: [1, 2], rejected: [2] }))
        .thenThrows('data_import.row_counted_twice');
    });
    it('skips a chunk recorded before, and refuses one out of order', () => {
      const first = chunk(1, 1, 2, { applied: [1, 2] });
      given(dataImportDecider, [started, recorded(first)])
        .when(first)
        .then([]);
      given(dataImportDecider, [started])
        .when(chunk(2, 3, 3, { applied: [3] }))
        .thenThrows('data_import.chunk_out_of_order');
    });
  });

  describe('when completing', () => {
    const first = chunk(1, 1, 2, { applied: [1], unchanged: [2] });
    it('refuses while rows remain', () => {
      given(dataImportDecider, [started, recorded(first)])
        .when({ type: 'CompleteDataImport', data: { now: NOW } })
        .thenThrows('data_import.incomplete');
    });
    it('completes with the totals once every row is processed', () => {
      const second = chunk(2, 3, 3, { rejected: [3] });
      given(dataImportDecider, [started, recorded(first), recorded(second)], dataImportEvents)
        .when({ type: 'CompleteDataImport', data: { now: NOW } })
        .then([
          {
            type: 'DataImportCompleted',
            data: {
              importId: uuid(1),
              totals: { applied: 1, unchanged: 1, rejected: 1, findingsRaised: 0, findingsEscalated: 0, personsFound: 0 },
              completedAt: NOW,
            },
          },
        ]);
    });
  });
});
