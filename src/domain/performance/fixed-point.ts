/**
 * Scores are integers in hundredths of a point (0..10000 = 0.00..100.00), so the same facts give
 * the same digits on every machine and after every rebuild. Rounding is half up, on integers only.
 */
export const FULL = 10_000;

/** round(numerator / denominator), halves up; both non-negative, denominator > 0. */
export function divRoundHalfUp(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0 || numerator < 0) {
    throw new RangeError(`fixed-point division needs non-negative safe integers (${numerator} / ${denominator})`);
  }
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** met of total as hundredths of a point: 2 of 3 → 6667 (66.67). */
export const rateOf = (met: number, total: number): number => divRoundHalfUp(met * FULL, total);

/** Weighted mean of hundredths with integer weights, rounded half up. */
export function weightedMean(parts: readonly { score: number; weight: number }[]): number | null {
  const weight = parts.reduce((s, p) => s + p.weight, 0);
  if (weight === 0) return null;
  return divRoundHalfUp(
    parts.reduce((s, p) => s + p.score * p.weight, 0),
    weight,
  );
}

/** 8750 → "87.50": for CSV and display; the number itself stays an integer. */
export const formatHundredths = (h: number): string => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`;
