import { nationalIdCheckChar } from '../domain/shared/national-id';

/**
 * Hands out valid GB 11643 numbers in the county's region code, unique per county: the sequence
 * (odd = male, even = female) counts up per birth date and sex. Workers draw from 900 up, so
 * they never share a number with a household member of the same birth date.
 */
export class NationalIdAllocator {
  private readonly used = new Map<string, number>();

  constructor(
    private readonly regionCode: string,
    private readonly firstSequence = 1,
    private readonly lastSequence = 899,
  ) {}

  next(birthDate: string, sex: 'male' | 'female'): string {
    const key = `${birthDate}:${sex}`;
    const n = this.used.get(key) ?? 0;
    this.used.set(key, n + 1);
    const sequence = this.firstSequence + 2 * n + (sex === 'male' ? 0 : 1) + (this.firstSequence % 2 === 0 ? 1 : 0);
    if (sequence > this.lastSequence) throw new Error(`more than ${n} people born on ${birthDate} in ${this.regionCode}`);
    const first17 = `${this.regionCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
    return first17 + nationalIdCheckChar(first17);
  }
}

/** A birth date `age` full years before `onDate`, on a day drawn from `dayOfYear` (0–364). */
export function birthDateForAge(age: number, onDate: string, dayOfYear: number): string {
  const on = new Date(`${onDate}T00:00:00Z`);
  const birth = new Date(Date.UTC(on.getUTCFullYear() - age - 1, on.getUTCMonth(), on.getUTCDate() + 1 + dayOfYear));
  return birth.toISOString().slice(0, 10);
}
