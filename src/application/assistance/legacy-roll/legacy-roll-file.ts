import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { BadRequestError } from '../../errors';

export type RollFormat = 'csv' | 'xlsx';
/** A data row with its row number in the source file (the header is row 1, as a spreadsheet counts). */
export interface RollRow {
  row: number;
  values: Record<string, string>;
}

const MAX_ROWS = 50_000;

/** The rows of a CSV or xlsx roll (first worksheet), keyed by the header row's column names. */
export async function readRoll(format: RollFormat, body: Buffer): Promise<RollRow[]> {
  if (format === 'csv') {
    let records: string[][];
    try {
      records = parse(body.toString('utf8').replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true });
    } catch (error) {
      throw new BadRequestError(`CSV 无法解析：${(error as Error).message}`, 'body');
    }
    return keyed(records);
  }
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as an ArrayBuffer (JSZip reads either): a copy of the bytes is one.
    await workbook.xlsx.load(new Uint8Array(body).buffer);
  } catch {
    throw new BadRequestError('xlsx 文件无法读取', 'body');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new BadRequestError('xlsx 文件没有工作表', 'body');
  const records: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    records[n - 1] = cells;
  });
  return keyed(Array.from(records, (r) => r ?? []));
}

/** Dates typed into Excel arrive as Date objects (UTC midnight); text and numbers as they are. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  if (typeof value === 'object' && 'result' in value) return String(value.result ?? '');
  return String(value).trim();
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
