import { BadRequestError } from './errors';

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends Record<string, unknown>>(cursor: string | undefined): T | null {
  if (!cursor) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value) && isWellTypedKey(value)) return value as T;
  } catch {
    // fall through
  }
  throw new BadRequestError('cursor is not one this service issued', 'cursor');
}

/*
 * A cursor's values go into SQL as typed parameters (`::uuid`, `::date`, ...): a forged value of
 * the wrong shape would be a database error, so every key a cursor may hold has its shape here
 * and anything else is refused as a 400. Keys are the sort keys the list queries encode.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isDay = (v: unknown) =>
  typeof v === 'string' &&
  /^[1-9]\d{3}-\d{2}-\d{2}$/.test(v) &&
  !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
  new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const isInstant = (v: unknown) =>
  typeof v === 'string' && v.length <= 40 && /^[1-9]\d{3}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v));
const isText = (v: unknown) =>
  typeof v === 'string' && v.length <= 500 && !/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v);
const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const CURSOR_KEYS: Record<string, (v: unknown) => boolean> = {
  id: (v) => typeof v === 'string' && UUID.test(v),
  code: isText,
  name: isText,
  key: isText,
  on: isDay,
  date: isDay,
  heldOn: isDay,
  from: isDay,
  appliedOn: isDay,
  raisedOn: isDay,
  deadline: isDay,
  startedAt: isInstant,
  row: isCount,
  ordinal: isCount,
  seq: isCount,
};

function isWellTypedKey(value: object): boolean {
  const entries = Object.entries(value);
  return entries.length > 0 && entries.length <= 4 && entries.every(([k, v]) => Object.hasOwn(CURSOR_KEYS, k) && CURSOR_KEYS[k]!(v));
}
