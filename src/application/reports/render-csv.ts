import { CSV_BOM, csvRecord } from '../csv-writer';
import { percent, yuan, type Cell, type ReportColumn, type ReportDocument } from '../../domain/reports/report-document';

export function formatCell(column: ReportColumn, value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (column.type === 'fen') return yuan(value);
    if (column.type === 'percent_bp') return percent(value);
  }
  return String(value);
}

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
  // The one writer: quoting, CRLF and the formula-injection guard (a report's headers are Chinese only).
  return CSV_BOM + lines.map((l) => csvRecord(l)).join('');
}
