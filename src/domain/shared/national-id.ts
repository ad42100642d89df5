/**
 * Chinese resident identity numbers (GB 11643-1999) and the masking rules for personal data
 * shown to people who need to recognise a person but not read their full identity.
 *
 * Layout: 6-digit region code, 8-digit birth date YYYYMMDD, 3-digit sequence (odd = male,
 * even = female), 1 check character computed with ISO 7064 MOD 11-2.
 */

/** Weight of position i is 2^(17-i) mod 11, as tabulated in the standard. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character indexed by (weighted sum mod 11). */
const CHECK_CHARS = '10X98765432';

const SHAPE = /^[1-9]\d{16}[\dX]$/;

export interface ParsedNationalId {
  /** The number as stored: trimmed, with an upper-case X. */
  value: string;
  regionCode: string;
  /** yyyy-mm-dd */
  birthDate: string;
  sex: 'male' | 'female';
}

/** People type a lower-case x and stray spaces; both are the same number. */
export function normalizeNationalId(input: string): string {
  return input.trim().toUpperCase();
}

/** The check character for the first 17 digits. */
export function nationalIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Returns the parts of a valid number, or null when the shape, birth date or check character is wrong. */
export function parseNationalId(input: string): ParsedNationalId | null {
  const value = normalizeNationalId(input);
  if (!SHAPE.test(value)) return null;
  if (nationalIdCheckChar(value.slice(0, 17)) !== value[17]) return null;
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  // No clock here: "born in the future" is for the caller; 1900 rules out typos like 0230.
  if (year < 1900 || !isCalendarDate(year, month, day)) return null;
  return {
    value,
    regionCode: value.slice(0, 6),
    birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
    sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}

export const isValidNationalId = (input: string): boolean => parseNationalId(input) !== null;

/** Keeps the region code and the last two characters: `530626**********12`. */
export function maskNationalId(input: string): string {
  const value = normalizeNationalId(input);
  if (value.length <= 8) return '*'.repeat(value.length);
  return `${value.slice(0, 6)}${'*'.repeat(value.length - 8)}${value.slice(-2)}`;
}

/**
 * Chinese names: 张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明 (keep first and, from three
 * characters on, the last). Counted in code points so rare characters outside the BMP stay whole.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*'.repeat(chars.length);
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** Phone numbers for those who do not call: `138****0000`. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
