import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { BadRequestError } from '../application/errors';

/** Accept text/csv bodies as strings; routes turn them into rows. */
export function registerCsvBodies(app: FastifyInstance): void {
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
}

/**
 * CSV (UTF-8, optional BOM, header row) to objects. Header names are turned from snake_case
 * into camelCase so CSV and JSON imports share one row schema.
 */
export function csvToRows(text: string): Record<string, string>[] {
  try {
    return parse(text, {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())),
      skip_empty_lines: true,
      trim: true,
    }) as Record<string, string>[];
  } catch (error) {
    throw new BadRequestError(`the CSV could not be read: ${(error as Error).message}`, 'body');
  }
}

/** Empty CSV cells mean "not given". */
export const dropEmpty = (row: Record<string, string>) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== ''));
