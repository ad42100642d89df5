import { z } from 'zod';
import { isValidNationalId, normalizeNationalId } from '../../shared/national-id';
import { yuanToFen } from '../money';

/**
 * Field schemas shared by every source's row schema. CSV cells arrive as strings and JSON as
 * typed values, so each field accepts both. Messages never repeat the value: a rejection report
 * is downloadable and must not leak ID numbers.
 */
const required = (what: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : `must be ${what}`) });

export const text = (max: number) => z.string(required('text')).trim().min(1, 'required').max(max, `at most ${max} characters`);
export const optionalText = (max: number) => z.string(required('text')).trim().max(max, `at most ${max} characters`).optional();

export const IdNumberField = z
  .string(required('text'))
  .refine(isValidNationalId, 'not a valid national ID number (18 characters, GB 11643 check digit)')
  .transform(normalizeNationalId);

export const NameField = text(50);

/** The villager-group code of the person's address, used to place someone not in the registry. */
export const AddressCodeField = z
  .string(required('text'))
  .trim()
  .regex(/^[0-9A-Za-z_-]{1,32}$/, 'a villager-group code is 1–32 letters, digits, - or _')
  .optional();

export const DayField = z.iso.date({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a date in YYYY-MM-DD form') });

/** Yuan with at most two decimals, as text or a number, to integer fen. */
export const YuanField = z.union([z.string(), z.number()], required('an amount in yuan')).transform((value, ctx) => {
  const fen = yuanToFen(String(value));
  if (fen === null) {
    ctx.addIssue({ code: 'custom', message: 'must be an amount in yuan, at most two decimals, not negative' });
    return z.NEVER;
  }
  return fen;
});

const TRUE = ['true', '1', 'yes', 'y', '是'];
const FALSE = ['false', '0', 'no', 'n', '否'];
export const BooleanField = z.union([z.boolean(), z.string()], required('true or false')).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const v = value.trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  ctx.addIssue({ code: 'custom', message: 'must be true or false (1/0, yes/no, 是/否)' });
  return z.NEVER;
});

/** An integer given as a number or as digits. */
export const IntegerField = z.union([z.number(), z.string()], required('a whole number')).transform((value, ctx) => {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n)) {
    ctx.addIssue({ code: 'custom', message: 'must be a whole number' });
    return z.NEVER;
  }
  return n;
});

/** An enum field whose error names the allowed values but not the value given. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue) => (issue.input === undefined ? 'required' : `must be one of ${values.join(', ')}`) });

/** The three subject fields every source carries. */
export const subjectFields = { idNumber: IdNumberField, name: NameField, addressCode: AddressCodeField };
export const subjectOf = (row: { idNumber: string; name: string; addressCode?: string | undefined }) => ({
  idNumber: row.idNumber,
  name: row.name,
  addressCode: row.addressCode ?? null,
});
