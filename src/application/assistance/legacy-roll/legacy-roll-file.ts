import { BadRequestError } from '../../errors';
import { spreadsheetRecords } from '../../imports/spreadsheet-input';

export type RollFormat = 'csv' | 'xlsx';
/** A data row with its row number in the source file (the header is row 1, as a spreadsheet counts). */
export interface RollRow {
  row: number;
  values: Record<string, string>;
}

const MAX_ROWS = 50_000;

/**
 * The rows of a CSV or xlsx roll (first worksheet), keyed by the header row's column names. The
 * file is read by its bytes (an xlsx is recognised whatever it was declared as; a CSV in UTF-8,
 * UTF-16 or GBK is decoded); a file declared as xlsx must be one.
 */
export async function readRoll(format: RollFormat, body: Buffer): Promise<RollRow[]> {
  return keyed(await spreadsheetRecords(body, format));
}

function keyed(records: string[][]): RollRow[] {
  const [header, ...data] = records;
  if (!header || header.length === 0) throw new BadRequestError('花名册没有表头行', 'body');
  if (data.length > MAX_ROWS) throw new BadRequestError(`花名册超过 ${MAX_ROWS} 行，请分批导入`, 'body');
  const names = header.map((h) => h.trim().toLowerCase());
  const rows: RollRow[] = [];
  data.forEach((cells, i) => {
    if (cells.every((c) => !c || !c.trim())) return;
    rows.push({ row: i + 2, values: Object.fromEntries(names.map((n, j) => [n, (cells[j] ?? '').trim()])) });
  });
  return rows;
}
