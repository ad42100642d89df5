import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { Transform, type TransformCallback } from 'node:stream';
import { BadRequestError } from '../errors';

/**
 * The one way an uploaded spreadsheet is read, for every import (geography, the legacy roll,
 * other departments' data): an xlsx workbook (recognised by its ZIP signature, whatever the
 * declared content type) or a CSV in the encodings Excel and WPS write on Chinese Windows —
 * UTF-8 with or without a byte-order mark, UTF-16 LE/BE with one, or GB18030/GBK. The encoding
 * is decided by strict UTF-8 validity first, then by a GB18030 decoding that needs no
 * replacement character; a file that is none of these is refused, never stored as `�`.
 */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const SPREADSHEET_MEDIA_TYPES = ['text/csv', 'application/csv', XLSX_MEDIA_TYPE] as const;

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** A file that is no text this service can read (or an xlsx it cannot open): a 400 with its own problem type. */
export class UnreadableFileError extends BadRequestError {
  constructor(message: string) {
    super(message, 'body');
    this.name = 'UnreadableFileError';
  }
}

const NOT_TEXT = '文件无法识别：CSV 须为 UTF-8（可带 BOM）、UTF-16（带 BOM）或 GB18030/GBK 编码的文本，或上传 xlsx 工作簿';

/** xlsx is a ZIP archive: its first bytes are the local file header signature PK\x03\x04. */
export const isXlsx = (bytes: Uint8Array) => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** C0 control characters other than tab, CR and LF never occur in a spreadsheet's text: binary data. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function bomOf(bytes: Uint8Array): { encoding: TextEncoding; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

function isStrictUtf8(bytes: Uint8Array, complete: boolean): boolean {
  try {
    // Mid-stream, a character cut at the end of the window is not an error (stream: true keeps it).
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

function isCleanGb18030(bytes: Uint8Array, complete: boolean): boolean {
  const decoder = iconv.getDecoder('gb18030');
  const text = decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) + (complete ? (decoder.end() ?? '') : '');
  return !text.includes('\uFFFD');
}

/**
 * The encoding of (a window of) a text file without a byte-order mark. `complete` says the
 * window is the whole rest of the file (a multibyte character cut at its end is then an error).
 */
export function detectEncoding(bytes: Uint8Array, complete = true): TextEncoding {
  const bom = bomOf(bytes);
  if (bom) return bom.encoding;
  if (isStrictUtf8(bytes, complete)) return 'utf-8';
  if (isCleanGb18030(bytes, complete)) return 'gb18030';
  throw new UnreadableFileError(NOT_TEXT);
}

/** A decoder that refuses what it cannot decode instead of writing replacement characters. */
function strictDecoder(encoding: TextEncoding): { write(bytes: Buffer): string; end(): string } {
  if (encoding === 'gb18030') {
    const decoder = iconv.getDecoder('gb18030');
    const checked = (text: string) => {
      if (text.includes('\uFFFD')) throw new UnreadableFileError(`${NOT_TEXT}（文件中有不属于 GB18030 的字节）`);
      return text;
    };
    return { write: (bytes) => checked(decoder.write(bytes)), end: () => checked(decoder.end() ?? '') };
  }
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  const guarded = (decode: () => string) => {
    try {
      return decode();
    } catch {
      throw new UnreadableFileError(`${NOT_TEXT}（文件按 ${encoding.toUpperCase()} 读取时遇到无效字节）`);
    }
  };
  return { write: (bytes) => guarded(() => decoder.decode(bytes, { stream: true })), end: () => guarded(() => decoder.decode()) };
}

function refuseControls(text: string): string {
  if (CONTROL.test(text)) throw new UnreadableFileError(NOT_TEXT);
  return text;
}

/** A whole CSV file's bytes as text (byte-order mark removed). */
export function decodeText(bytes: Buffer): string {
  const bom = bomOf(bytes);
  const body = bom ? bytes.subarray(bom.length) : bytes;
  const decoder = strictDecoder(bom?.encoding ?? detectEncoding(body));
  return refuseControls(decoder.write(body) + decoder.end());
}

/** How many bytes past the first non-ASCII byte a stream looks at before it decides. */
const SNIFF_BYTES = 16 * 1024;

/**
 * The streaming form of `decodeText`, for uploads read row by row: bytes in, UTF-8 text out.
 * ASCII passes through at once (it reads the same in every candidate encoding); the decision is
 * taken on the first window of up to 16 KiB that holds non-ASCII bytes, and the rest of the file
 * is decoded strictly, so a later byte that does not fit fails the stream instead of becoming `�`.
 */
export function decodingStream(): Transform {
  let pending: Buffer = Buffer.alloc(0);
  let decoder: ReturnType<typeof strictDecoder> | null = null;
  const emit = (stream: Transform, text: string) => {
    if (text) stream.push(refuseControls(text), 'utf8');
  };
  const decide = (stream: Transform, complete: boolean) => {
    const firstNonAscii = pending.findIndex((b) => b > 0x7f);
    if (firstNonAscii === -1) {
      emit(stream, pending.toString('latin1'));
      pending = Buffer.alloc(0);
      return;
    }
    if (!complete && pending.length - firstNonAscii < SNIFF_BYTES) return;
    emit(stream, pending.subarray(0, firstNonAscii).toString('latin1'));
    decoder = strictDecoder(detectEncoding(pending.subarray(firstNonAscii), complete));
    emit(stream, decoder.write(pending.subarray(firstNonAscii)));
    pending = Buffer.alloc(0);
  };
  /** The first bytes (a byte-order mark or the ZIP signature need up to 4) are looked at together. */
  let head: Buffer | null = Buffer.alloc(0);
  const take = (stream: Transform, chunk: Buffer) => {
    let bytes = chunk;
    if (head) {
      head = Buffer.concat([head, bytes]);
      if (head.length < 4 && !flushing) return;
      bytes = head;
      head = null;
      const bom = bomOf(bytes);
      if (bom) {
        decoder = strictDecoder(bom.encoding);
        bytes = bytes.subarray(bom.length);
      } else if (isXlsx(bytes)) {
        throw new UnreadableFileError(`这是一个 xlsx 工作簿：请以 ${XLSX_MEDIA_TYPE} 上传`);
      }
    }
    if (decoder) emit(stream, decoder.write(bytes));
    else {
      pending = Buffer.concat([pending, bytes]);
      decide(stream, false);
    }
  };
  let flushing = false;
  return new Transform({
    transform(this: Transform, chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      try {
        take(this, chunk);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(this: Transform, done: TransformCallback) {
      try {
        flushing = true;
        if (head) take(this, Buffer.alloc(0));
        if (!decoder) decide(this, true);
        if (decoder) emit(this, decoder.end());
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

/** The first worksheet of an xlsx workbook as rows of cell texts. */
export async function xlsxRecords(bytes: Buffer): Promise<string[][]> {
  // Loaded on first use: exceljs is the heaviest module the service imports, and most processes never read a workbook.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    // exceljs types its input as an ArrayBuffer (JSZip reads either): a copy of the bytes is one.
    await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  } catch {
    throw new UnreadableFileError('xlsx 文件无法读取（文件损坏或不是 Excel 2007 及以后的工作簿）');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new UnreadableFileError('xlsx 文件没有工作表');
  const records: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    records[n - 1] = cells;
  });
  // Empty rows stay (as []), so a row's index is its number in the sheet, as the user sees it.
  return Array.from(records, (r) => r ?? []);
}

/** Dates typed into Excel arrive as Date objects (UTC midnight); rich text, formulas and hyperlinks by their text. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('text' in value) return String(value.text).trim();
    if ('result' in value) return String(value.result ?? '').trim();
    if ('error' in value) return '';
  }
  return String(value).trim();
}

export type SpreadsheetFormat = 'csv' | 'xlsx';

/** What the client declared: an xlsx is read as one (and refused if it is none); a CSV is sniffed for an xlsx signature. */
export const formatOf = (contentType: string | undefined): SpreadsheetFormat =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase() === XLSX_MEDIA_TYPE ? 'xlsx' : 'csv';

/** The rows of an uploaded CSV (cells trimmed, empty lines skipped) or xlsx file, header row first. */
export async function spreadsheetRecords(bytes: Buffer, declared: SpreadsheetFormat = 'csv'): Promise<string[][]> {
  if (declared === 'xlsx' || isXlsx(bytes)) return xlsxRecords(bytes);
  const text = decodeText(bytes);
  try {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- csv-parse's typed overload demands `columns`
    return parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    const e = error as { code?: string; lines?: number };
    throw new BadRequestError(`CSV 无法解析：第 ${e.lines ?? '?'} 行（${e.code ?? 'CSV_ERROR'}）`, 'body');
  }
}
