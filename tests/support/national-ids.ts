import { nationalIdCheckChar } from '../../src/domain/shared/national-id';

/** A valid GB 11643 number of Suijiang (530626) for a test person born on `birth`; `seq` keeps people apart (odd = male). */
export function idNumber(birth: string, seq: number): string {
  const first17 = `530626${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + nationalIdCheckChar(first17);
}
