import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatOf, SPREADSHEET_MEDIA_TYPES, spreadsheetRecords } from '../application/imports/spreadsheet-input';

/**
 * A spreadsheet upload (CSV in UTF-8, UTF-16 or GBK, or xlsx) arrives at the route as the rows
 * of its first sheet: objects keyed by the header row, header names turned from snake_case into
 * camelCase so CSV and JSON imports share one row schema; empty cells mean "not given".
 */
export function registerCsvBodies(app: FastifyInstance): void {
  app.addContentTypeParser([...SPREADSHEET_MEDIA_TYPES], { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer | string) =>
    spreadsheetRows(await spreadsheetRecords(Buffer.isBuffer(body) ? body : Buffer.from(body), formatOf(request.headers['content-type']))),
  );
}

const camel = (h: string) => h.trim().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

export function spreadsheetRows(records: readonly string[][]): Record<string, string>[] {
  const [header = [], ...data] = records;
  const names = header.map(camel);
  return data.filter((cells) => cells.some((c) => c !== '')).map((cells) => Object.fromEntries(names.flatMap((n, i) => (cells[i] ? [[n, cells[i]]] : []))));
}

/** `?lang=` of a CSV export: the header row in Chinese (default) or English; cell values are the same. */
export const CsvLangSchema = z
  .enum(['zh', 'en'])
  .describe('CSV 表头语言：zh 中文（默认）或 en 英文 / header language of the CSV: zh (default) or en')
  .default('zh');
