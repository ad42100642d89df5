/**
 * Departments report money in yuan with up to two decimals; rules compare integer fen (分), so
 * amounts are converted from their text, never through a float (0.1 + 0.2 ≠ 0.3).
 */
const YUAN = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

/** '1,234.5' → 123450; null when the text is not a non-negative yuan amount. */
export function yuanToFen(text: string): number | null {
  const match = YUAN.exec(text.trim().replaceAll(',', ''));
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** 123450 → '¥1234.50' (for reasons shown to workers). */
export const formatYuan = (fen: number): string => `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
