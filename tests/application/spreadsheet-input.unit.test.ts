import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRoll } from '../../src/application/assistance/legacy-roll/legacy-roll-file';
import { decodeText, decodingStream, detectEncoding, UnreadableFileError } from '../../src/application/imports/spreadsheet-input';

const TEXT = 'group_code,recipient_name\r\n530626100201001,欧阳明\r\n530626100201001,㐀一\r\n';

async function streamed(bytes: Buffer, chunk: number): Promise<string> {
  const parts = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_v, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
  let out = '';
  for await (const piece of Readable.from(parts).pipe(decodingStream())) out += String(piece);
  return out;
}

describe('spreadsheet input: one decoder for every import', () => {
  it('decides by strict UTF-8 first, then GB18030 without replacement characters', () => {
    expect(detectEncoding(Buffer.from(TEXT))).toBe('utf-8');
    expect(detectEncoding(iconv.encode(TEXT, 'gb18030'))).toBe('gb18030');
    expect(detectEncoding(iconv.encode('回望村', 'gbk'))).toBe('gb18030');
    expect(() => detectEncoding(Buffer.from([0x80, 0xff, 0x41]))).toThrow(UnreadableFileError);
  });

  it.each([
    ['UTF-8', Buffer.from(TEXT)],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])],
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')])],
    ['UTF-16 BE with BOM', iconv.encode(TEXT, 'utf16-be', { addBOM: true })],
    ['GB18030', iconv.encode(TEXT, 'gb18030')],
  ])('decodes %s whole and streamed in 1-, 3- and 7-byte chunks', async (_label, bytes) => {
    expect(decodeText(bytes)).toBe(TEXT);
    for (const size of [1, 3, 7]) expect(await streamed(bytes, size)).toBe(TEXT);
  });

  it('refuses control bytes and a file whose later bytes break the encoding chosen', async () => {
    expect(() => decodeText(Buffer.from('a,b\r\n\u0000\u0001,2\r\n'))).toThrow(UnreadableFileError);
    // Whole: neither UTF-8 nor GB18030 reads a 0xFF byte.
    expect(() => decodeText(Buffer.concat([Buffer.from('名称\r\n回望村'), Buffer.from([0xff])]))).toThrow(UnreadableFileError);
    // Streamed: UTF-8 decided on the first 16 KiB past the first Chinese character; GBK bytes after that fail the stream.
    const mixed = Buffer.concat([Buffer.from('名称\r\n'), Buffer.alloc(20_000, 0x61), iconv.encode('\r\n回望村', 'gbk')]);
    await expect(streamed(mixed, 4096)).rejects.toBeInstanceOf(UnreadableFileError);
  });

  it('reads a legacy roll in GBK and as xlsx to the same rows', async () => {
    const gbk = await readRoll('csv', iconv.encode(TEXT, 'gbk'));
    expect(gbk[0]).toEqual({ row: 2, values: { group_code: '530626100201001', recipient_name: '欧阳明' } });
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('花名册');
    sheet.addRow(['group_code', 'recipient_name']);
    sheet.addRow(['530626100201001', '欧阳明']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(await readRoll('csv', xlsx)).toEqual([gbk[0]]);
  });
});
