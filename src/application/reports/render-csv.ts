import { percent, yuan, type Cell, type ReportColumn, type ReportDocument } from '../../domain/reports/report-document';

/** Spreadsheet programs read UTF-8 (Chinese headers and names) as such only with a byte-order mark. */
const BOM = '\uFEFF';

export function formatCell(column: ReportColumn, value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (column.type === 'fen') return yuan(value);
    if (column.type === 'percent_bp') return percent(value);
  }
  return String(value);
}

// A leading = + - @ would make a spreadsheet evaluate a name as a formula (CSV injection).
const csvCell = (s: string) => {
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** Title and meta lines, then each section: its title, header, rows and totals, a blank line between. */
export function reportCsv(doc: ReportDocument): string {
  const lines: string[][] = [[doc.title], ...doc.meta.map(([k, v]) => [k, v]), []];
  for (const s of doc.sections) {
    lines.push(
      [s.title],
      s.columns.map((c) => c.header),
    );
    for (const row of s.rows) lines.push(s.columns.map((c) => formatCell(c, row[c.key])));
    if (s.totals) lines.push(s.columns.map((c) => formatCell(c, s.totals![c.key])));
    lines.push([]);
  }
  for (const n of doc.notes) lines.push([n]);
  return BOM + lines.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
