import { describe, expect, it } from 'vitest';
import { isValidNationalId, maskName, maskNationalId, parseNationalId } from '../../src/domain/shared/national-id';

/**
 * Check character computed independently of the code under test, straight from ISO 7064
 * MOD 11-2 as GB 11643 states it: weights W_i = 2^(i-1) mod 11 counted from the right
 * (the check position is i = 1), check = (12 - (Σ a_i·W_i mod 11)) mod 11, with 10 written X.
 */
function checkChar(first17: string): string {
  let sum = 0;
  for (let k = 0; k < 17; k++) {
    const i = 18 - k; // position counted from the right
    sum += Number(first17[k]) * (2 ** (i - 1) % 11);
  }
  const c = (12 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}
const withCheck = (first17: string) => first17 + checkChar(first17);

describe('national ID number (GB 11643-1999)', () => {
  it('accepts the classic example 11010519491231002X', () => {
    expect(isValidNationalId('11010519491231002X')).toBe(true);
    expect(checkChar('11010519491231002')).toBe('X');
  });

  it('accepts numbers whose check digit we computed, including Suijiang region codes', () => {
    for (const first17 of ['53062619900101123', '53062620000229002', '44030419851130567', '11010119800101001']) {
      expect(isValidNationalId(withCheck(first17)), first17).toBe(true);
    }
  });

  it('accepts a lower-case x and surrounding spaces as the same number', () => {
    expect(isValidNationalId(' 11010519491231002x ')).toBe(true);
    expect(parseNationalId('11010519491231002x')?.value).toBe('11010519491231002X');
  });

  it('refuses every wrong check character', () => {
    const first17 = '53062619900101123';
    const right = checkChar(first17);
    for (const c of '0123456789X'.split('').filter((c) => c !== right)) {
      expect(isValidNationalId(first17 + c), c).toBe(false);
    }
  });

  it('refuses impossible birth dates even with a correct check character', () => {
    expect(isValidNationalId(withCheck('53062619900230123'))).toBe(false); // 30 February
    expect(isValidNationalId(withCheck('53062619901301123'))).toBe(false); // month 13
    expect(isValidNationalId(withCheck('53062619010229123'))).toBe(false); // 1901 is not a leap year
    expect(isValidNationalId(withCheck('53062602300101123'))).toBe(false); // year 0230
  });

  it('refuses the wrong length and stray characters', () => {
    expect(isValidNationalId('11010519491231002')).toBe(false);
    expect(isValidNationalId('11010519491231002X1')).toBe(false);
    expect(isValidNationalId('110105194912310')).toBe(false); // old 15-digit numbers are not accepted
    expect(isValidNationalId('1101051949123100X2')).toBe(false);
    expect(isValidNationalId('')).toBe(false);
  });

  it('parses region, birth date and sex from the 17th digit (odd male, even female)', () => {
    expect(parseNationalId('11010519491231002X')).toEqual({ value: '11010519491231002X', regionCode: '110105', birthDate: '1949-12-31', sex: 'female' });
    expect(parseNationalId(withCheck('53062619900101123'))).toMatchObject({ regionCode: '530626', birthDate: '1990-01-01', sex: 'male' });
    expect(parseNationalId('11010519491231002Y')).toBeNull();
  });

  it('masks all but the region code and the last two characters', () => {
    expect(maskNationalId('530626199001011234')).toBe('530626**********34');
    expect(maskNationalId('11010519491231002x')).toBe('110105**********2X');
  });
});

describe('masking names', () => {
  it.each([
    ['张三', '张*'],
    ['张小三', '张*三'],
    ['欧阳小明', '欧**明'],
    ['李', '*'],
    ['𠮷野家', '𠮷*家'],
  ])('masks %s as %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});
