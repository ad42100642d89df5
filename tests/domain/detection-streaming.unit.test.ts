import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../src/application/detection/csv-records';
import { ndjsonRecords } from '../../src/application/detection/ndjson-records';
import { UploadTooLargeError, type StagedRecord } from '../../src/application/detection/staged-record';
import { fieldMessage } from '../../src/domain/shared/field-messages';

const collect = async (records: AsyncIterable<StagedRecord>) => {
  const out: StagedRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
};
const LIMITS = { maxBytes: 1024 * 1024, maxRows: 1000, maxRecordBytes: 4096 };

describe('upload readers', () => {
  describe('CSV', () => {
    it('turns snake_case headers into camelCase, numbers data rows from 1 and drops empty cells', async () => {
      const rows = await collect(csvRecords(Readable.from(['\uFEFFid_number,name,school_status\r\n', 'A,张三,dropout\r\n', 'B,,enrolled\r\n'])));
      expect(rows).toEqual([
        { row: 1, record: { idNumber: 'A', name: '张三', schoolStatus: 'dropout' } },
        { row: 2, record: { idNumber: 'B', schoolStatus: 'enrolled' } },
      ]);
    });
    it('reports a row with the wrong number of cells as a rejected row and goes on', async () => {
      const rows = await collect(csvRecords(Readable.from(['a,b\n1,2,3\n4,5\n'])));
      expect(rows).toEqual([
        { row: 1, error: { field: '(row)', message: fieldMessage('row.cell_count', { cells: 3, header: 2 }) } },
        { row: 2, record: { a: '4', b: '5' } },
      ]);
    });
    it('refuses an unreadable file naming the line and code, never the content', async () => {
      const secret = '530626199001011234';
      const error = await collect(csvRecords(Readable.from([`a,b\n"${secret}"x,2\n`]))).catch((e) => e);
      expect(error).toMatchObject({ name: 'BadRequestError', message: expect.stringMatching(/line 2 \(CSV_/) });
      expect(error.message).not.toContain(secret);
    });
    it('stops an upload past the byte limit', async () => {
      const big = Readable.from(
        (function* () {
          yield 'a,b\n';
          for (let i = 0; i < 10_000; i++) yield `${i},${'x'.repeat(200)}\n`;
        })(),
      );
      await expect(collect(csvRecords(big, LIMITS))).rejects.toBeInstanceOf(UploadTooLargeError);
    });
    it('reads 50,000 rows lazily: the first row arrives long before the file is produced', async () => {
      let produced = 0;
      const source = Readable.from(
        (function* () {
          yield 'id_number,name,school_status,reported_on\n';
          for (let i = 1; i <= 50_000; i++) {
            produced = i;
            yield `${i},name${i},enrolled,2026-02-01\n`;
          }
        })(),
      );
      let producedAtFirstRow = -1;
      let count = 0;
      for await (const r of csvRecords(source)) {
        if (count === 0) producedAtFirstRow = produced;
        count++;
        expect(r.row).toBe(count);
      }
      expect(count).toBe(50_000);
      // Backpressure: only the stream buffers (a few thousand rows at most) were read ahead.
      expect(producedAtFirstRow).toBeLessThan(5_000);
    });
  });

  describe('NDJSON', () => {
    it('reads one object a line across chunk boundaries, skipping blank lines and rejecting bad lines', async () => {
      const rows = await collect(ndjsonRecords(Readable.from(['{"a":1}\n{"a"', ':2}\n\n[1]\nnot json\n{"a":3}'])));
      expect(rows).toEqual([
        { row: 1, record: { a: 1 } },
        { row: 2, record: { a: 2 } },
        { row: 3, error: { field: '(row)', message: fieldMessage('row.not_json_object') } },
        { row: 4, error: { field: '(row)', message: fieldMessage('row.invalid_json') } },
        { row: 5, record: { a: 3 } },
      ]);
    });
    it('refuses a line longer than the record limit', async () => {
      await expect(collect(ndjsonRecords(Readable.from(['{"a":"' + 'x'.repeat(5000)]), LIMITS))).rejects.toMatchObject({ name: 'BadRequestError' });
    });
  });
});
