import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api-expect';
import { idNumber } from '../support/national-ids';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

interface Body {
  id: string;
  items: { name: string }[];
}
const ok = async (request: Parameters<typeof expectStatus>[0], status?: number) => (await expectStatus(request, status)) as Body;
type Problem = { type: string; detail: string };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function xlsxOf(rows: (string | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('导入');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
};

/** Bytes that are text in no encoding: invalid UTF-8, and lone GB18030 lead bytes and 0x80/0xFF. */
const GARBAGE = Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x2c, 0xff, 0x80, 0xfe, 0x0a, 0xc3, 0x28, 0x81, 0x0a, 0x80, 0xff, 0xff, 0x0a]);

describe('imports accept the spreadsheets Excel and WPS save on Chinese Windows', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(t.token('admin'));
    await ok(t.app.inject({ method: 'POST', url: '/api/v1/towns', headers: admin, payload: { code: '530626100', name: '中城镇' } }), 201);
  });
  afterAll(async () => t?.close());

  const geography = (payload: Buffer, contentType = 'text/csv') =>
    t.app.inject({ method: 'POST', url: '/api/v1/geography/import', headers: { ...admin, 'content-type': contentType }, payload });
  const villageNames = async () =>
    (await ok(t.app.inject({ method: 'GET', url: '/api/v1/villages?limit=100', headers: admin }))).items.map((v) => v.name).sort();
  const village = (code: string, name: string) => `kind,code,name,parent_code,village_kind\r\nvillage,${code},${name},530626100,village\r\n`;

  it.each([
    ['GBK (what Excel saves as "CSV")', '530626100201', '回望村', (s: string) => iconv.encode(s, 'gbk')],
    ['GB18030 with a character outside GBK', '530626100202', '㐀坪村', (s: string) => iconv.encode(s, 'gb18030')],
    ['UTF-8 with BOM', '530626100203', '福兴村', (s: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s)])],
    ['UTF-8 without BOM', '530626100204', '新田村', (s: string) => Buffer.from(s)],
    ['UTF-16 LE with BOM (Unicode text)', '530626100205', '南岸村', (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])],
    ['UTF-16 BE with BOM', '530626100206', '北岭村', (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(s)])],
  ])('geography import reads a CSV in %s', async (_label, code, name, encode) => {
    const bytes = encode(village(code, name));
    const report = await ok(geography(bytes));
    expect(report).toMatchObject({ applied: 1, rejected: [] });
    expect(await villageNames()).toContain(name);
    expect((await villageNames()).join('')).not.toContain('\uFFFD');
  });

  it('geography import reads an xlsx workbook, declared as such or sent as text/csv (recognised by its bytes)', async () => {
    const declared = await xlsxOf([
      ['kind', 'code', 'name', 'parent_code', 'village_kind'],
      ['village', '530626100207', '东山村', '530626100', 'village'],
    ]);
    expect(await ok(geography(declared, XLSX))).toMatchObject({ applied: 1, rejected: [] });
    const mislabelled = await xlsxOf([
      ['kind', 'code', 'name', 'parent_code', 'village_kind'],
      ['village', '530626100208', '西河村', '530626100', null],
    ]);
    expect(await ok(geography(mislabelled, 'text/csv'))).toMatchObject({ applied: 1, rejected: [] });
    expect(await villageNames()).toEqual(expect.arrayContaining(['东山村', '西河村']));
  });

  it('refuses bytes that are no text with a Chinese problem, and stores nothing', async () => {
    const before = Number((await sql<{ n: string }>`select count(*) as n from es_events`.execute(t.database.db)).rows[0]!.n);
    for (const [payload, type] of [
      [GARBAGE, 'text/csv'],
      [Buffer.concat([Buffer.from(village('530626100299', '')), Buffer.from([0x00, 0x01, 0x02, 0x03])]), 'text/csv'],
      [Buffer.from('kind,code\nnot a workbook\n'), XLSX],
    ] as const) {
      const r = await geography(payload, type);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      const problem = r.json<Problem>();
      expect(problem.type).toBe('/problems/unreadable-file');
      expect(problem.detail).toMatch(/[\u4e00-\u9fff]/);
      expect(r.body).not.toContain('\uFFFD');
    }
    const after = Number((await sql<{ n: string }>`select count(*) as n from es_events`.execute(t.database.db)).rows[0]!.n);
    expect(after).toBe(before);
  });

  describe("other departments' data (streamed)", () => {
    const dataImport = (payload: Buffer, contentType: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/data-imports?source=education', headers: { ...admin, 'content-type': contentType }, payload });
    const namesOf = async (importId: string) =>
      (await ok(t.app.inject({ method: 'GET', url: `/api/v1/findings?import=${importId}`, headers: admin }))).items.map((f) => f.name);

    it('reads a GBK CSV: the names arrive as written', async () => {
      // Over 16 KiB of ASCII rows first: the decision is taken where the first Chinese byte appears.
      const ascii = Array.from({ length: 700 }, (_v, i) => `${idNumber('2011-01-01', 100 + i)},Zhang San ${i},enrolled,2026-02-20`).join('\r\n');
      const csv = `id_number,name,school_status,reported_on\r\n${ascii}\r\n${idNumber('2012-03-04', 7)},欧阳小明,dropout,2026-02-20\r\n`;
      const r = await dataImport(iconv.encode(csv, 'gbk'), 'text/csv');
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ applied: 701, rejected: 0 });
      expect(await namesOf(r.json<Body>().id)).toContain('欧阳小明');
    });

    it('reads an xlsx workbook', async () => {
      const book = await xlsxOf([
        ['id_number', 'name', 'school_status', 'reported_on'],
        [idNumber('2012-05-06', 9), '司马小红', 'dropout', '2026-02-21'],
      ]);
      const r = await dataImport(book, XLSX);
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ applied: 1, rejected: 0 });
      expect(await namesOf(r.json<Body>().id)).toContain('司马小红');
    });

    it('refuses garbage with the same problem, never storing replacement characters', async () => {
      const r = await dataImport(Buffer.concat([Buffer.from('id_number,name,school_status,reported_on\r\n'), GARBAGE]), 'text/csv');
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json<Problem>().type).toBe('/problems/unreadable-file');
    });
  });
});
