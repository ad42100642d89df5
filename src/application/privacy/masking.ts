import { maskName, maskNationalId, maskPhone } from '../../domain/shared/national-id';
import type { DataClass } from './data-classes';

/** What a masked free-text field reads as: the field stays (schemas hold), its content does not. */
export const MASKED_TEXT = '***';

/** A field's class, and how to mask it when the class is not visible (default: by class and type). */
export interface FieldRule {
  class: DataClass;
  mask?: (value: unknown) => unknown;
}
/** Field declarations by key name, applied at any depth of the record they are declared for. */
export type FieldDeclaration = Readonly<Record<string, DataClass | FieldRule>>;

export interface Masked<T> {
  value: T;
  /** Some field was masked for this caller. */
  masked: boolean;
  /** The classes that were shown with a value (for the access log). */
  revealed: ReadonlySet<DataClass>;
}

function defaultMask(cls: DataClass, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return [];
  if (typeof value === 'string') {
    if (cls === 'identity') return maskNationalId(value);
    if (cls === 'contact') return /^\+?[\d -]{7,}$/.test(value) ? maskPhone(value) : MASKED_TEXT;
    return MASKED_TEXT;
  }
  return null;
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * Masks every declared field whose class the caller may not see, wherever it appears in the
 * record (nested objects and arrays included), and reports which classes it showed.
 */
export function maskFields<T>(record: T, fields: FieldDeclaration, visible: ReadonlySet<DataClass>): Masked<T> {
  let masked = false;
  const revealed = new Set<DataClass>();
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const declared = fields[key];
      if (!declared) {
        out[key] = walk(v);
        continue;
      }
      const rule: FieldRule = typeof declared === 'string' ? { class: declared } : declared;
      if (visible.has(rule.class)) {
        if (!isEmpty(v)) revealed.add(rule.class);
        out[key] = walk(v);
      } else {
        const replaced = rule.mask ? rule.mask(v) : defaultMask(rule.class, v);
        if (!isEmpty(v)) masked = true;
        out[key] = replaced;
      }
    }
    return out;
  };
  return { value: walk(record) as T, masked, revealed };
}

/** Names of relatives (relativeOf) and similar: recognisable, not readable. */
export const maskNameField = (v: unknown) => (typeof v === 'string' ? maskName(v) : v);
