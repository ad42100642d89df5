import { hash } from 'node:crypto';

/** The hash an empty stream's first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted at every depth, no whitespace, `undefined` dropped.
 * jsonb reorders keys, so hashes must not depend on key order.
 */
export function canonicalJson(value: unknown): string {
  // Already-ordered plain data (the common case) goes straight to the native serialiser; the
  // replacer, called for every value, is only needed when some object's keys are out of order.
  if (isPlainSorted(value, 0)) return JSON.stringify(value);
  // One pass: the replacer sees each value after toJSON (Dates are strings by then) and hands
  // back objects with their keys in order; JSON.stringify drops undefined as usual.
  return JSON.stringify(value, sortedKeys);
}

/** Plain JSON (no toJSON, no undefined) whose object keys are sorted at every depth. */
function isPlainSorted(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return value !== undefined && typeof value !== 'function' && typeof value !== 'bigint';
  if (depth > 64 || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) {
    for (const item of value) if (item === undefined || !isPlainSorted(item, depth + 1)) return false;
    return true;
  }
  let previous: string | null = null;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) return false;
    if (previous !== null && previous > key) return false;
    const child = (value as Record<string, unknown>)[key];
    if (child === undefined || !isPlainSorted(child, depth + 1)) return false;
    previous = key;
  }
  return true;
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) sorted = false;
  if (sorted) return value;
  // A null-prototype object, so a "__proto__" key stays a key instead of setting a prototype.
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of keys.sort()) out[key] = (value as Record<string, unknown>)[key];
  return out;
}

export interface ChainedContent {
  streamId: string;
  eventId: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  prevHash: string;
}

/** SHA-256 over the canonical JSON of an event's content and its predecessor's hash. */
export function eventHash(content: ChainedContent): string {
  return chainedHash({ ...content, dataJson: canonicalJson(content.data), metadataJson: canonicalJson(content.metadata) });
}

/**
 * The same hash from data and metadata already in canonical JSON (the append path has them, as
 * they are also what it sends to the database). The keys are written in sorted order, so the
 * string is exactly canonicalJson(content).
 */
export function chainedHash(c: Omit<ChainedContent, 'data' | 'metadata'> & { dataJson: string; metadataJson: string }): string {
  const json =
    `{"data":${c.dataJson},"eventId":${JSON.stringify(c.eventId)},"metadata":${c.metadataJson},"prevHash":${JSON.stringify(c.prevHash)},` +
    `"schemaVersion":${JSON.stringify(c.schemaVersion)},"streamId":${JSON.stringify(c.streamId)},"type":${JSON.stringify(c.type)},"version":${JSON.stringify(c.version)}}`;
  // One-shot crypto.hash: no Hash object per event (measured ~1 µs less per event than createHash).
  return hash('sha256', json, 'hex');
}

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}
