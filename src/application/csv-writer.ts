import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer for downloads: csv-stringify does the quoting, this adds the guard against
 * formula injection (OWASP "CSV injection"): a text cell that a spreadsheet would run as a
 * formula (starting with = + - @, tab or carriage return) is prefixed with an apostrophe, so a
 * name such as `=HYPERLINK(...)` is shown as text. Numbers, and text that is just a number
 * (-3, +1.5), are left alone.
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** One CSV record with its line ending (CRLF, as RFC 4180 and spreadsheet programs expect). */
export function csvRecord(cells: readonly CsvCell[], options: { lineEnd?: '\r\n' | '\n'; quoteStrings?: boolean } = {}): string {
  return stringify([cells.map((c) => (c === null || c === undefined ? '' : c))], {
    record_delimiter: options.lineEnd === '\n' ? 'unix' : 'windows',
    quoted_string: options.quoteStrings ?? false,
    cast: { string: neutraliseFormula, boolean: (b) => String(b) },
  });
}

/** Spreadsheet programs read UTF-8 as such (Chinese names) only with a byte-order mark. */
export const CSV_BOM = '\uFEFF';
