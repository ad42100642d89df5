import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DECISION_EXPORT_COLUMNS, decisionExportRow } from '../../src/application/assistance/decision-export';
import { csvDocument, csvRecord } from '../../src/application/csv-writer';
import { reportCsv } from '../../src/application/reports/render-csv';
import type { ReportDocument } from '../../src/domain/reports/report-document';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** What Excel would read: the BOM checked and dropped, records split by the parser. */
function readBack(text: string): string[][] {
  expect(Buffer.from(text).subarray(0, 3)).toEqual(BOM);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- csv-parse's typed overload demands `columns`
  return parse(text.slice(1), { relax_column_count: true }) as string[][];
}

const HOSTILE = ['a,b', 'say "hi"', 'line1\r\nline2', '=1+2', '+86 139', '-A1', '@SUM(A1)', '\tTAB', '\rCR', '=HYPERLINK("http://x","点")'];
const GUARDED = ['a,b', 'say "hi"', 'line1\r\nline2', "'=1+2", "'+86 139", "'-A1", "'@SUM(A1)", "'\tTAB", "'\rCR", `'=HYPERLINK("http://x","点")`];

describe('the one CSV writer', () => {
  it('writes a BOM, CRLF records, Chinese headers by default and English on request', () => {
    const columns = [
      { key: 'name', zh: '姓名', en: 'name' },
      { key: 'n', zh: '人数', en: 'count' },
    ] as const;
    const zh = csvDocument(columns, [{ name: '张三', n: 3 }]);
    expect(zh).toBe('\uFEFF姓名,人数\r\n张三,3\r\n');
    expect(readBack(csvDocument(columns, [{ name: '张三', n: -3 }], 'en'))).toEqual([
      ['name', 'count'],
      ['张三', '-3'],
    ]);
  });

  it('quotes , " and CRLF, and prefixes cells a spreadsheet would run as formulas (numbers stay numbers)', () => {
    const text = '\uFEFF' + csvRecord(HOSTILE) + csvRecord([-3, '-3', '+1.5', 0, true, null]);
    const [hostile, numbers] = readBack(text);
    expect(hostile).toEqual(GUARDED);
    expect(numbers).toEqual(['-3', '-3', '+1.5', '0', 'true', '']);
    expect(text).toContain('"line1\r\nline2"');
    expect(text).toContain('"say ""hi"""');
  });

  it('the decisions export: Chinese headers, English keys with lang=en, guarded cells', () => {
    const row = decisionExportRow({
      decisionId: '=cmd|calc',
      caseId: 'c,1',
      program: 'dibao',
      payment: { monthlyFen: 43000 },
      policy: { id: 'dibao-2023', contentHash: 'h' },
      decidedBy: { actorId: '@officer', role: 'civil_affairs_officer' },
    });
    const [zh, values] = readBack(csvDocument(DECISION_EXPORT_COLUMNS, [row]));
    expect(zh!.slice(0, 3)).toEqual(['决定编号', '案件编号', '救助项目']);
    // Code columns carry the vocabulary's label: 低保 in Chinese, its English label with lang=en.
    expect(values!.slice(0, 3)).toEqual(["'=cmd|calc", 'c,1', '低保']);
    expect(values![6]).toBe('43000');
    expect(values![10]).toBe("'@officer");
    const [en, englishValues] = readBack(csvDocument(DECISION_EXPORT_COLUMNS, [row], 'en'));
    expect(en).toEqual(DECISION_EXPORT_COLUMNS.map((c) => c.key));
    expect(englishValues![2]).not.toBe('低保');
    expect(englishValues![2]).toMatch(/^[A-Za-z]/);
  });

  it('report documents go through the same writer', () => {
    const doc: ReportDocument = {
      name: 'roll',
      title: '低保发放花名册',
      meta: [['月份', '2023年7月']],
      sections: [
        {
          title: '回望村',
          columns: [
            { key: 'name', header: '户主', type: 'text' },
            { key: 'fen', header: '金额（元）', type: 'fen' },
          ],
          rows: [
            { name: '=HYPERLINK("http://x","点")', fen: 109000 },
            { name: '李,四\r\n"二"', fen: 5 },
          ],
          totals: { name: '合计', fen: 109005 },
        },
      ],
      notes: ['-注意'],
      signatures: [],
    };
    const text = reportCsv(doc);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(readBack(text)).toEqual([
      ['低保发放花名册'],
      ['月份', '2023年7月'],
      [''],
      ['回望村'],
      ['户主', '金额（元）'],
      [`'=HYPERLINK("http://x","点")`, '1090.00'],
      ['李,四\r\n"二"', '0.05'],
      ['合计', '1090.05'],
      [''],
      ["'-注意"],
    ]);
  });
});
