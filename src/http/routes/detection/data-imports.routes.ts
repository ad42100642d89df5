import { csvHeader, csvRow, type CsvColumn } from '../../../application/csv-writer';
import { CsvLangSchema } from '../../csv';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { DataImportService } from '../../../application/detection/data-import.service';
import { csvRecords } from '../../../application/detection/csv-records';
import { XLSX_MEDIA_TYPE } from '../../../application/imports/spreadsheet-input';
import { arrayRecords, ndjsonRecords } from '../../../application/detection/ndjson-records';
import type { StagedRecord } from '../../../application/detection/staged-record';
import { BadRequestError } from '../../../application/errors';
import { SOURCE_DEFINITIONS } from '../../../domain/detection/sources';
import { SourceSchema, SOURCES } from '../../../domain/detection/vocabulary';
import { commandContext } from '../../command-context';
import { ProblemSchema, problemResponses } from '../../problem';
import { IdParamsSchema, PageQuerySchema, pageOf } from '../../schemas';
import { ImportResultSchema, ImportSchema, RejectionSchema } from './detection.schemas';
import { UploadStream } from './upload-body';
import { readerOf } from '../../route-helpers';
import { languageOf } from '../../messages';
import { renderFieldMessage } from '../../../domain/shared/field-messages';

const REJECTION_COLUMNS: readonly CsvColumn<'row' | 'field' | 'message'>[] = [
  { key: 'row', zh: '行号', en: 'row' },
  { key: 'field', zh: '字段', en: 'field' },
  { key: 'message', zh: '原因', en: 'message' },
];

const columns = SOURCES.map((s) => `${s}: ${SOURCE_DEFINITIONS[s].columns.join(', ')}`).join('; ');

function recordsOf(body: unknown): AsyncIterable<StagedRecord> {
  if (body instanceof UploadStream) return body.format === 'ndjson' ? ndjsonRecords(body.stream) : csvRecords(body.stream, undefined, body.format);
  if (Array.isArray(body)) return arrayRecords(body);
  throw new BadRequestError('send CSV (text/csv), xlsx, NDJSON (application/x-ndjson) or a JSON array of rows', 'body');
}

export const dataImportRoutes: FastifyPluginAsyncZod<{ imports: DataImportService; clock: Clock }> = async (app, { imports, clock }) => {
  const reader = readerOf(clock);

  app.post(
    '/api/v1/data-imports',
    {
      schema: {
        tags: ['detection'],
        summary: "Import a batch of another department's data (admin); the same content again changes nothing",
        description:
          'Body: CSV (text/csv, header row, snake_case or camelCase headers; UTF-8 with or without BOM, UTF-16 with BOM, or GB18030/GBK) or NDJSON (application/x-ndjson), both streamed row by row; ' +
          `an xlsx workbook (${XLSX_MEDIA_TYPE}, first sheet, read whole within the byte limit); ` +
          `or a JSON array of row objects (small batches, within the body limit). Columns per source — ${columns}. ` +
          'Money in yuan (up to 2 decimals), dates YYYY-MM-DD. 201: imported; 200: this content was imported before.',
        querystring: z.object({
          source: SourceSchema,
          batchId: z
            .string()
            .trim()
            .regex(/^[\x21-\x7e]{1,100}$/, '1–100 visible ASCII characters')
            .optional()
            .describe("来源部门的批次号；默认为内容哈希 / the department's batch reference; default: the content hash"),
        }),
        response: { 200: ImportResultSchema, 201: ImportResultSchema, 413: ProblemSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const body: unknown = request.body;
      try {
        const result = await imports.import(commandContext(request, clock), {
          source: request.query.source,
          batchId: request.query.batchId,
          records: recordsOf(body),
        });
        const id = result.import.id;
        reply.status(result.duplicate ? 200 : 201).header('location', `/api/v1/data-imports/${id}`);
        return { ...result.import, duplicate: result.duplicate, rejectionsUrl: `/api/v1/data-imports/${id}/rejections.csv` };
      } finally {
        // Refused before the body was read (403, 413…): do not keep the connection for the rest of it.
        if (body instanceof UploadStream && !body.stream.readableEnded) reply.header('connection', 'close');
      }
    },
  );
  app.get(
    '/api/v1/data-imports',
    {
      schema: {
        tags: ['detection'],
        summary: 'Data imports, newest first (admin, auditor, evaluator)',
        querystring: PageQuerySchema.extend({ source: SourceSchema.optional(), status: z.enum(['processing', 'completed']).optional() }),
        response: { 200: pageOf(ImportSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, source, status } = request.query;
      return imports.list(reader(request), { ...(source ? { source } : {}), ...(status ? { status } : {}) }, { limit, cursor });
    },
  );
  app.get(
    '/api/v1/data-imports/:id',
    {
      schema: { tags: ['detection'], summary: 'One data import with its counts', params: IdParamsSchema, response: { 200: ImportSchema, ...problemResponses } },
    },
    async (request) => imports.get(reader(request), request.params.id),
  );
  app.get(
    '/api/v1/data-imports/:id/rejections',
    {
      schema: {
        tags: ['detection'],
        summary: 'Rejected rows of an import: row number, field, reason (never the value)',
        params: IdParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: pageOf(RejectionSchema), ...problemResponses },
      },
    },
    async (request) => {
      const page = await imports.rejections(reader(request), request.params.id, request.query);
      const language = languageOf(request);
      return { ...page, items: page.items.map((r) => ({ ...r, message: renderFieldMessage(r.message, language) })) };
    },
  );
  app.get(
    '/api/v1/data-imports/:id/rejections.csv',
    {
      schema: {
        tags: ['detection'],
        summary: 'Rejected rows as a CSV download (行号,字段,原因; ?lang=en: row,field,message), streamed',
        params: IdParamsSchema,
        querystring: z.object({ lang: CsvLangSchema }),
        response: { 200: z.string().describe('text/csv; charset=utf-8'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const rejections = await imports.rejectionsDownload(reader(request), request.params.id);
      async function* lines() {
        yield csvHeader(REJECTION_COLUMNS, request.query.lang);
        for await (const r of rejections)
          yield csvRow(REJECTION_COLUMNS, { ...r, message: renderFieldMessage(r.message, request.query.lang) }, { quoteStrings: true });
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="rejections-${request.params.id}.csv"`)
        .send(Readable.from(lines()) as never);
    },
  );
};
