import type { ReportDocument } from '../../domain/reports/report-document';

/**
 * One worksheet per section (a payment roll per town and program is one sheet each), money as
 * numbers in yuan with two decimals so the bureau can sum and fill in the bank accounts, A4
 * landscape page setup with the header row repeated on every printed page.
 */
export async function reportXlsx(doc: ReportDocument): Promise<Buffer> {
  // Loaded on first use: exceljs is the heaviest module the service imports (see spreadsheet-input.ts).
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'social-work-stations';
  // Fixed, so the same report gives the same workbook content (exceljs would stamp "now").
  wb.created = new Date(0);
  wb.modified = new Date(0);
  const used = new Set<string>();
  const sections = doc.sections.length > 0 ? doc.sections : [{ title: '无数据', columns: [], rows: [], totals: null }];
  sections.forEach((s, index) => {
    const ws = wb.addWorksheet(sheetName(s.title, index, used), {
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    const width = Math.max(s.columns.length, 2);
    const title = ws.addRow([doc.title]);
    title.font = { bold: true, size: 14 };
    ws.mergeCells(1, 1, 1, width);
    ws.addRow([s.title]).font = { bold: true };
    for (const [k, v] of doc.meta) ws.addRow([k, v]);
    ws.addRow([]);
    const headerRow = ws.addRow(s.columns.map((c) => c.header));
    headerRow.font = { bold: true };
    headerRow.eachCell((cell) => {
      cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    });
    ws.pageSetup.printTitlesRow = `${headerRow.number}:${headerRow.number}`;
    const value = (type: string, v: unknown) =>
      v === null || v === undefined
        ? null
        : type === 'fen' && typeof v === 'number'
          ? v / 100
          : type === 'percent_bp' && typeof v === 'number'
            ? v / 10_000
            : v;
    const add = (row: Record<string, unknown>, bold = false) => {
      const r = ws.addRow(s.columns.map((c) => value(c.type, row[c.key])));
      r.font = { bold };
      s.columns.forEach((c, i) => {
        const cell = r.getCell(i + 1);
        cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
        if (c.type === 'fen') cell.numFmt = '#,##0.00';
        if (c.type === 'percent_bp') cell.numFmt = '0.00%';
        if (c.type === 'text') cell.numFmt = '@';
      });
    };
    for (const row of s.rows) add(row);
    if (s.totals) add(s.totals, true);
    s.columns.forEach((c, i) => (ws.getColumn(i + 1).width = Math.max(8, (c.width ?? 10) + 2)));
    ws.addRow([]);
    for (const n of doc.notes) ws.addRow([n]);
    ws.addRow([doc.signatures.join('        ')]);
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ], unique. */
function sheetName(title: string, index: number, used: Set<string>): string {
  let name = title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 28) || `Sheet${index + 1}`;
  while (used.has(name)) name = `${name.slice(0, 26)}~${index + 1}`;
  used.add(name);
  return name;
}
