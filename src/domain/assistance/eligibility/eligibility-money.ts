import type { MonthlyRounding } from '../policy/policy-version';

/**
 * Money is integer fen throughout. These helpers keep it that way: products are checked to stay
 * exact, and the only division (yearly → monthly) is integer division with the policy's
 * explicit rounding, never a float that is rounded "somewhere".
 */

/** a × b, refusing results beyond 2^53 where integers stop being exact. */
export function exactProduct(a: number, b: number): number {
  const product = a * b;
  if (!Number.isSafeInteger(product)) throw new RangeError(`${a} × ${b} is not an exact integer`);
  return product;
}

/** a ÷ b rounded down, for non-negative safe integers; the remainder keeps it exact. */
export function floorQuotient(a: number, b: number): number {
  return (a - (a % b)) / b;
}

/**
 * numerator ÷ denominator, rounded to a multiple of `unitFen` in the policy's direction:
 * 'up' (ceiling), 'down' (floor), or 'half_up' (halves go up). Inputs are non-negative.
 */
export function divideRounded(numerator: number, denominator: number, rounding: MonthlyRounding): number {
  const divisor = exactProduct(denominator, rounding.unitFen);
  const units =
    rounding.mode === 'down'
      ? floorQuotient(numerator, divisor)
      : rounding.mode === 'up'
        ? floorQuotient(numerator + divisor - 1, divisor)
        : floorQuotient(exactProduct(numerator, 2) + divisor, exactProduct(divisor, 2));
  return units * rounding.unitFen;
}

const ROUNDING_ZH = { up: '向上取整', half_up: '四舍五入', down: '向下取整' } as const;
const ROUNDING_EN = { up: 'rounded up', half_up: 'rounded half up', down: 'rounded down' } as const;
const UNIT_ZH = { 1: '分', 10: '角', 100: '元' } as const;
const UNIT_EN = { 1: 'fen', 10: 'jiao', 100: 'yuan' } as const;

export function describeRounding(rounding: MonthlyRounding): { zh: string; en: string } {
  return { zh: `${ROUNDING_ZH[rounding.mode]}到${UNIT_ZH[rounding.unitFen]}`, en: `${ROUNDING_EN[rounding.mode]} to the ${UNIT_EN[rounding.unitFen]}` };
}

/**
 * 123456 → "1,234.56". Written out by hand rather than with toLocaleString/Intl, whose output
 * depends on the ICU data of the Node build: an auditor's replay must produce the same text.
 */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = String(floorQuotient(abs, 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/** Basis points as a percentage: 15000 → "150%", 12345 → "123.45%". */
export function formatBasisPoints(bp: number): string {
  const rest = bp % 100;
  return `${floorQuotient(bp, 100)}${rest === 0 ? '' : `.${String(rest).padStart(2, '0').replace(/0$/, '')}`}%`;
}
