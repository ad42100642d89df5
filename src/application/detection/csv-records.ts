import { parse } from 'csv-parse';
import { pipeline, Readable, Transform } from 'node:stream';
import { BadRequestError } from '../errors';
import { decodingStream, isXlsx, xlsxRecords, type SpreadsheetFormat } from '../imports/spreadsheet-input';
import { UPLOAD_LIMITS, UploadTooLargeError, type StagedRecord, type UploadLimits } from './staged-record';
import { fieldMessage } from '../../domain/shared/field-messages';

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

/** The stream's first bytes, and a stream that yields them again before the rest. */
async function peek(input: Readable, bytes: number): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    chunks.push(chunk);
    size += chunk.length;
  }
  async function* replay() {
    yield* chunks;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head: Buffer.concat(chunks), stream: Readable.from(replay(), { objectMode: false }) };
}

async function* xlsxRows(input: Readable, limits: UploadLimits): AsyncGenerator<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of input.pipe(byteLimit(limits.maxBytes))) chunks.push(chunk as Buffer);
  yield* await xlsxRecords(Buffer.concat(chunks));
}

/**
 * CSV (header row; snake_case headers become camelCase) read as a stream: csv-parse's
 * streaming parser yields one record at a time and the async iterator pulls, so the upload is
 * read only as fast as rows are consumed and never held whole in memory. The bytes are decoded
 * on the way (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK: `decodingStream`). An xlsx
 * workbook (recognised by its first bytes) is read whole, within the same byte limit.
 * Empty cells mean "not given". A row whose cell count differs from the header is a rejected
 * row, not a failed import; a file csv-parse cannot read at all (a broken quote) is a 400 that
 * names the line and the error code but never the content.
 */
export async function* csvRecords(input: Readable, limits: UploadLimits = UPLOAD_LIMITS, declared: SpreadsheetFormat = 'csv'): AsyncGenerator<StagedRecord> {
  const { head, stream } = await peek(input, 4);
  const xlsx = declared === 'xlsx' || isXlsx(head);
  let records: AsyncIterable<string[]>;
  if (xlsx) records = xlsxRows(stream, limits);
  else {
    const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: limits.maxRecordBytes });
    records = pipeline(stream, byteLimit(limits.maxBytes), decodingStream(), parser, () => {}) as AsyncIterable<string[]>;
  }
  let header: string[] | null = null;
  let row = 0;
  try {
    for await (let cells of records) {
      if (xlsx && cells.every((c) => c === '')) continue;
      if (!header) {
        header = readHeader(xlsx ? cells.slice(0, lastFilled(cells)) : cells);
        continue;
      }
      row++;
      // A sheet's row ends at its last filled cell, or runs past the header with empty ones.
      if (xlsx) cells = Array.from({ length: Math.max(header.length, lastFilled(cells)) }, (_v, i) => cells[i] ?? '');
      if (cells.length !== header.length) {
        yield { row, error: { field: '(row)', message: fieldMessage('row.cell_count', { cells: cells.length, header: header.length }) } };
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

const lastFilled = (cells: readonly string[]) => cells.findLastIndex((c) => c !== '') + 1;

function readHeader(cells: string[]): string[] {
  const names = cells.map(camel);
  if (names.some((n) => n === '')) throw new BadRequestError('the CSV header has an empty column name', 'body');
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new BadRequestError(`the CSV header names ${duplicate} twice`, 'body');
  return names;
}
