import { stringify } from 'csv-stringify/sync';
import { vocabularyNamed } from '../domain/shared/vocabularies';

/**
 * The one CSV writer for every download: csv-stringify does the quoting (a cell holding `,`,
 * `"`, CR or LF is quoted, `"` doubled), records end in CRLF (RFC 4180, as spreadsheet programs
 * expect), the file starts with a UTF-8 byte-order mark (without it Excel reads UTF-8 as the
 * local code page and Chinese turns to mojibake), headers are Chinese unless English is asked
 * for, and text cells are guarded against formula injection (OWASP "CSV injection"): a cell that
 * a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) is
 * prefixed with an apostrophe, so `=HYPERLINK(...)` is shown as text. Numbers, and text that is
 * just a number (-3, +1.5), are left alone. A column of codes names its vocabulary: its cells are
 * written as the code's label in the export's language (`dibao` → 低保, `?lang=en` → minimum
 * living allowance), since a person reads the sheet; a code no vocabulary knows is written as is.
 */
export type CsvCell = string | number | boolean | null | undefined;
export type CsvLang = 'zh' | 'en';

/** A column of an export: its key in the row, its header in each language, the vocabulary of its codes. */
export interface CsvColumn<K extends string = string> {
  key: K;
  zh: string;
  en: string;
  vocabulary?: string;
}

/** The label of a code in the column's vocabulary and the language; other cells unchanged. */
function labelled(column: CsvColumn, cell: CsvCell, lang: CsvLang): CsvCell {
  if (!column.vocabulary || cell === null || cell === undefined) return cell;
  const term = vocabularyNamed(column.vocabulary)?.terms.find((t) => t.code === String(cell));
  return term ? term[lang] : cell;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** One CSV record with its CRLF. `quoteStrings` quotes every text cell (not only those that need it). */
export function csvRecord(cells: readonly CsvCell[], options: { quoteStrings?: boolean } = {}): string {
  return stringify([cells.map((c) => (c === null || c === undefined ? '' : c))], {
    record_delimiter: 'windows',
    quoted_string: options.quoteStrings ?? false,
    // csv-stringify quotes the CRLF delimiter but not a lone CR or LF, which a reader takes for a line end.
    quoted_match: /[\r\n]/,
    cast: { string: neutraliseFormula, boolean: (b) => String(b) },
  });
}

/** Spreadsheet programs read UTF-8 as such (Chinese names) only with a byte-order mark. */
export const CSV_BOM = '\uFEFF';

/** The start of an export: the byte-order mark and the header record in the language asked for. */
export function csvHeader(columns: readonly CsvColumn[], lang: CsvLang = 'zh'): string {
  return CSV_BOM + csvRecord(columns.map((c) => c[lang]));
}

/** A row object as a record, cells in the columns' order. */
export function csvRow<K extends string>(
  columns: readonly CsvColumn<K>[],
  row: Partial<Record<K, CsvCell>>,
  options: { quoteStrings?: boolean; lang?: CsvLang } = {},
): string {
  return csvRecord(
    columns.map((c) => labelled(c, row[c.key], options.lang ?? 'zh')),
    options,
  );
}

/** A whole export: BOM, header, rows. */
export function csvDocument<K extends string>(columns: readonly CsvColumn<K>[], rows: Iterable<Partial<Record<K, CsvCell>>>, lang: CsvLang = 'zh'): string {
  let out = csvHeader(columns, lang);
  for (const row of rows) out += csvRow(columns, row, { lang });
  return out;
}
