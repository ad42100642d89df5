/**
 * One data row of an upload before validation, numbered from 1 in file order (the header is not
 * a row). A row whose shape is already wrong (a CSV line with too many cells, an NDJSON line that
 * is not an object) is carried as an error, so it is reported like any other rejected row.
 */
export type RawRecord = Record<string, unknown>;
export type StagedRecord = { row: number; record: RawRecord } | { row: number; error: { field: string; message: string } };

/**
 * Bounds on one upload. fastify's bodyLimit does not apply to a body handed over as a stream,
 * so the readers enforce these themselves.
 */
export interface UploadLimits {
  maxBytes: number;
  maxRows: number;
  /** One CSV record or NDJSON line: what the reader must hold in memory at once. */
  maxRecordBytes: number;
}
export const UPLOAD_LIMITS: UploadLimits = { maxBytes: 256 * 1024 * 1024, maxRows: 200_000, maxRecordBytes: 64 * 1024 };

/** Mapped to 413 by the error handler (it maps any error with statusCode 413). */
export class UploadTooLargeError extends Error {
  readonly statusCode = 413;
  constructor(message: string) {
    super(message);
    this.name = 'UploadTooLargeError';
  }
}
