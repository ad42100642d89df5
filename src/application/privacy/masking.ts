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

/** Each declaration's rules by key, built once: the walk below looks a key up per field of every record. */
const rulesByDeclaration = new WeakMap<FieldDeclaration, ReadonlyMap<string, FieldRule>>();
function rulesOf(fields: FieldDeclaration): ReadonlyMap<string, FieldRule> {
  let rules = rulesByDeclaration.get(fields);
  if (!rules) {
    rules = new Map(Object.entries(fields).map(([key, declared]) => [key, typeof declared === 'string' ? { class: declared } : declared]));
    rulesByDeclaration.set(fields, rules);
  }
  return rules;
}

/**
 * Masks every declared field whose class the caller may not see, wherever it appears in the
 * record (nested objects and arrays included), and reports which classes it showed. The answer
 * is a copy: the record itself is left as it was.
 */
export function maskFields<T>(record: T, fields: FieldDeclaration, visible: ReadonlySet<DataClass>): Masked<T> {
  // Issue 20: a page of 50 households is a few thousand fields, so no per-field allocation here
  // (a key's rule comes from the map above, keys come from Object.keys, not entry pairs).
  const rules = rulesOf(fields);
  let masked = false;
  const revealed = new Set<DataClass>();
  const walk = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(walk);
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(source)) {
      const v = source[key];
      const rule = rules.get(key);
      if (!rule) out[key] = walk(v);
      else if (visible.has(rule.class)) {
        if (!isEmpty(v)) revealed.add(rule.class);
        out[key] = walk(v);
      } else {
        if (!isEmpty(v)) masked = true;
        out[key] = rule.mask ? rule.mask(v) : defaultMask(rule.class, v);
      }
    }
    return out;
  };
  return { value: walk(record) as T, masked, revealed };
}

/** Names of relatives (relativeOf) and similar: recognisable, not readable. */
export const maskNameField = (v: unknown) => (typeof v === 'string' ? maskName(v) : v);
