import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { BadRequestError } from '../errors';
import { UPLOAD_LIMITS, UploadTooLargeError, type StagedRecord, type UploadLimits } from './staged-record';
import { fieldMessage } from '../../domain/shared/field-messages';

function lineRecord(line: string): { record: Record<string, unknown> } | { error: { field: string; message: string } } {
  try {
    const value: unknown = JSON.parse(line);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { record: value as Record<string, unknown> };
    return { error: { field: '(row)', message: fieldMessage('row.not_json_object') } };
  } catch {
    return { error: { field: '(row)', message: fieldMessage('row.invalid_json') } };
  }
}

/**
 * NDJSON (one JSON object a line) read as a stream: chunks are decoded and split on newlines as
 * they arrive, so only the current line is held. Blank lines are not rows.
 */
export async function* ndjsonRecords(input: Readable, limits: UploadLimits = UPLOAD_LIMITS): AsyncGenerator<StagedRecord> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let bytes = 0;
  let row = 0;
  const take = function* (line: string): Generator<StagedRecord> {
    const text = (row === 0 ? line.replace(/^\uFEFF/, '') : line).trim();
    if (text === '') return;
    row++;
    yield { row, ...lineRecord(text) };
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > limits.maxBytes) throw new UploadTooLargeError(`the upload is larger than ${limits.maxBytes} bytes`);
    pending += decoder.write(chunk);
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) yield* take(line);
    if (pending.length > limits.maxRecordBytes) throw new BadRequestError(`a line is longer than ${limits.maxRecordBytes} bytes`, 'body');
  }
  yield* take(pending + decoder.end());
}

/** A JSON array body (already parsed by fastify within its bodyLimit): the small-batch path. */
export async function* arrayRecords(rows: readonly unknown[]): AsyncGenerator<StagedRecord> {
  let row = 0;
  for (const value of rows) {
    row++;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) yield { row, record: value as Record<string, unknown> };
    else yield { row, error: { field: '(row)', message: fieldMessage('row.not_json_object') } };
  }
}
