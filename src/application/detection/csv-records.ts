import { parse } from 'csv-parse';
import { pipeline, Transform, type Readable } from 'node:stream';
import { BadRequestError } from '../errors';
import { UPLOAD_LIMITS, UploadTooLargeError, type StagedRecord, type UploadLimits } from './staged-record';

const camel = (header: string) => header.trim().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Counts bytes as they pass and fails the stream past the limit, so a huge upload stops early. */
function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new UploadTooLargeError(`the upload is larger than ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
}

/**
 * CSV (UTF-8, optional BOM, header row; snake_case headers become camelCase) read as a stream:
 * csv-parse's streaming parser yields one record at a time and the async iterator pulls, so
 * the upload is read only as fast as rows are consumed and never held whole in memory.
 * Empty cells mean "not given". A row whose cell count differs from the header is a rejected
 * row, not a failed import; a file csv-parse cannot read at all (a broken quote) is a 400 that
 * names the line and the error code but never the content.
 */
export async function* csvRecords(input: Readable, limits: UploadLimits = UPLOAD_LIMITS): AsyncGenerator<StagedRecord> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: limits.maxRecordBytes });
  const records = pipeline(input, byteLimit(limits.maxBytes), parser, () => {});
  let header: string[] | null = null;
  let row = 0;
  try {
    for await (const cells of records as AsyncIterable<string[]>) {
      if (!header) {
        header = readHeader(cells);
        continue;
      }
      row++;
      if (cells.length !== header.length) {
        yield { row, error: { field: '(row)', message: `the row has ${cells.length} cells, the header ${header.length}` } };
        continue;
      }
      const record: Record<string, string> = {};
      header.forEach((name, i) => {
        if (cells[i] !== '') record[name] = cells[i]!;
      });
      yield { row, record };
    }
  } catch (error) {
    const e = error as { code?: string; lines?: number };
    if (error instanceof UploadTooLargeError || error instanceof BadRequestError || !e.code?.startsWith('CSV_')) throw error;
    throw new BadRequestError(`the CSV could not be read at line ${e.lines ?? '?'} (${e.code})`, 'body');
  }
}

function readHeader(cells: string[]): string[] {
  const names = cells.map(camel);
  if (names.some((n) => n === '')) throw new BadRequestError('the CSV header has an empty column name', 'body');
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new BadRequestError(`the CSV header names ${duplicate} twice`, 'body');
  return names;
}
