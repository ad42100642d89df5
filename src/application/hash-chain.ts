import { createHash } from 'node:crypto';

/** The hash an empty stream's first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted at every depth, no whitespace, `undefined` dropped.
 * jsonb reorders keys, so hashes must not depend on key order.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
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
  return createHash('sha256').update(json).digest('hex');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
