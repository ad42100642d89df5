import { z } from 'zod';
import { isValidNationalId, normalizeNationalId } from '../../shared/national-id';
import { yuanToFen } from '../money';
import { fieldMessage, type FieldMessageKey } from '../../shared/field-messages';

/**
 * Field schemas shared by every source's row schema. CSV cells arrive as strings and JSON as
 * typed values, so each field accepts both. Messages are keys of the field-message catalogue
 * (rendered in the reader's language) and never repeat the value: a rejection report is
 * downloadable and must not leak ID numbers.
 */
const required = (expected: FieldMessageKey) => ({
  error: (issue: { input?: unknown }) => fieldMessage(issue.input === undefined ? 'required' : expected),
});

export const text = (max: number) =>
  z.string(required('text.expected')).trim().min(1, fieldMessage('required')).max(max, fieldMessage('text.too_long', { max }));
export const optionalText = (max: number) => z.string(required('text.expected')).trim().max(max, fieldMessage('text.too_long', { max })).optional();

export const IdNumberField = z.string(required('text.expected')).refine(isValidNationalId, fieldMessage('id_number.invalid')).transform(normalizeNationalId);

export const NameField = text(50);

/** The villager-group code of the person's address, used to place someone not in the registry. */
export const AddressCodeField = z
  .string(required('text.expected'))
  .trim()
  .regex(/^[0-9A-Za-z_-]{1,32}$/, fieldMessage('group_code.invalid'))
  .optional();

export const DayField = z.iso.date({ error: (issue) => fieldMessage(issue.input === undefined ? 'required' : 'day.invalid') });

/** Yuan with at most two decimals, as text or a number, to integer fen. */
export const YuanField = z.union([z.string(), z.number()], required('yuan.expected')).transform((value, ctx) => {
  const fen = yuanToFen(String(value));
  if (fen === null) {
    ctx.addIssue({ code: 'custom', message: fieldMessage('yuan.invalid') });
    return z.NEVER;
  }
  return fen;
});

const TRUE = ['true', '1', 'yes', 'y', '是'];
const FALSE = ['false', '0', 'no', 'n', '否'];
export const BooleanField = z.union([z.boolean(), z.string()], required('boolean.expected')).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const v = value.trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  ctx.addIssue({ code: 'custom', message: fieldMessage('boolean.expected') });
  return z.NEVER;
});

/** An integer given as a number or as digits. */
export const IntegerField = z.union([z.number(), z.string()], required('integer.expected')).transform((value, ctx) => {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n)) {
    ctx.addIssue({ code: 'custom', message: fieldMessage('integer.expected') });
    return z.NEVER;
  }
  return n;
});

/** An enum field whose error names the allowed values but not the value given. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (issue) => fieldMessage(issue.input === undefined ? 'required' : 'code.one_of', issue.input === undefined ? {} : { values: values.join(', ') }),
  });

/** The three subject fields every source carries. */
export const subjectFields = { idNumber: IdNumberField, name: NameField, addressCode: AddressCodeField };
export const subjectOf = (row: { idNumber: string; name: string; addressCode?: string | undefined }) => ({
  idNumber: row.idNumber,
  name: row.name,
  addressCode: row.addressCode ?? null,
});
