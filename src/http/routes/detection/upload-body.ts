import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';

import { XLSX_MEDIA_TYPE } from '../../../application/imports/spreadsheet-input';

/** A `csv` upload that is an xlsx by its first bytes is read as one. */
export type UploadFormat = 'csv' | 'xlsx' | 'ndjson';

/**
 * A request body handed to the route unread. Its only own enumerable fields are the format and
 * the declared length, so the Idempotency-Key hash (canonical JSON of the body) covers those
 * and never walks the stream.
 */
export class UploadStream {
  readonly #stream: Readable;
  constructor(
    readonly format: UploadFormat,
    stream: Readable,
    readonly contentLength: string | null,
  ) {
    this.#stream = stream;
  }
  get stream(): Readable {
    return this.#stream;
  }
}

const FORMATS: Record<string, UploadFormat> = { 'text/csv': 'csv', 'application/csv': 'csv', [XLSX_MEDIA_TYPE]: 'xlsx', 'application/x-ndjson': 'ndjson' };

/**
 * Within this plugin only (fastify content-type parsers are encapsulated), CSV and NDJSON
 * bodies are not read into a string: the parser passes the raw request stream on at once, so
 * the handler runs while the body is still arriving and reads it row by row. The app-wide
 * `text/csv` string parser is removed here first (adding over it would throw) and stays as it
 * is for every other route. JSON bodies keep fastify's own parser and its bodyLimit.
 */
export function registerUploadParsers(app: FastifyInstance): void {
  const types = Object.keys(FORMATS);
  app.removeContentTypeParser(types);
  app.addContentTypeParser(types, (request, payload, done) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const length = request.headers['content-length'];
    done(null, new UploadStream(FORMATS[type] ?? 'csv', payload, typeof length === 'string' ? length : null));
  });
}
