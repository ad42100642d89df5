/**
 * A report as data: titled sections of columns and rows, with totals and notes. The builders
 * (payment roll, statistics, visit completion) produce it; CSV, xlsx and printable HTML are
 * renderings of the same document, so the three formats can never disagree on a figure.
 * Money stays integer fen here; renderers show yuan with two decimals.
 */
export type ColumnType = 'text' | 'int' | 'fen' | 'percent_bp';

export interface ReportColumn {
  key: string;
  header: string;
  type: ColumnType;
  /** Relative width for print and xlsx. */
  width?: number;
}

export type Cell = string | number | null;

export interface ReportSection {
  title: string;
  columns: ReportColumn[];
  rows: Record<string, Cell>[];
  totals: Record<string, Cell> | null;
}

export interface ReportDocument {
  /** File name stem, ASCII: `payment-roll-2023-06-530626100-dibao`. */
  name: string;
  title: string;
  /** Label/value lines under the title: month, as of, unit, policy. */
  meta: [string, string][];
  sections: ReportSection[];
  notes: string[];
  /** Signature lines at the foot of the printed page (制表人, 审核人, …). */
  signatures: string[];
}

/** 123456 fen → "1234.56" (no grouping: CSV and spreadsheets parse it as a number). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Basis points → "87.50%". */
export function percent(bp: number): string {
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;
}

/** met/total as basis points, half up; null when nothing was due. */
export function rateBp(met: number, total: number): number | null {
  return total === 0 ? null : Math.floor((2 * met * 10_000 + total) / (2 * total));
}
