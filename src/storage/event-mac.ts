import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Message authentication codes over what the store writes, keyed by a secret the database does
 * not hold. The hash chains prove that rows are consistent with each other; only these prove that
 * the service wrote them: someone with SQL access can recompute every hash with the published
 * algorithm, but not a MAC.
 *
 * Three tags, each with its own label so one can never stand in for another:
 * - `event`: stored in each event row, over the event's chained hash;
 * - `head`: stored in the stream row, over stream id, version and last hash;
 * - `acc`: never stored, XOR-ed into the stream's shard accumulator, so deleting whole streams
 *   (rows and head) changes an accumulator nobody can fix without the key.
 */
export class EventMac {
  private readonly key: Buffer;
  constructor(key: Buffer) {
    if (key.length < 32) throw new Error('the event MAC key must be at least 32 bytes');
    this.key = key;
  }

  event(hash: string): string {
    return this.tag(`${MAC_LABELS.event}${hash}`);
  }

  head(streamId: string, version: number, lastHash: string): string {
    return this.tag(`${MAC_LABELS.head}${headMacSubject(streamId, version, lastHash)}`);
  }

  accumulate(hash: string): string {
    return this.tag(`${MAC_LABELS.acc}${hash}`);
  }

  /** accumulate() as bytes, for a verifier XOR-ing thousands of them in place. */
  accumulateRaw(hash: string): Buffer {
    return createHmac('sha256', this.key).update(`${MAC_LABELS.acc}${hash}`).digest();
  }

  /** The key, for the whole-log verify's worker threads only (same process; never logged or stored). */
  keyForWorkerThreads(): Buffer {
    return this.key;
  }

  private tag(message: string): string {
    return createHmac('sha256', this.key).update(message).digest('hex');
  }
}

/**
 * What each tag is over: its label, then its subject (the event's hash; for a head, what
 * headMacSubject writes). The whole-log verify's MAC thread (mac-thread.ts) is given these.
 */
export const MAC_LABELS = { event: 'v1:event:', head: 'v1:head:', acc: 'v1:acc:' } as const;

export function headMacSubject(streamId: string, version: number, lastHash: string): string {
  return `${JSON.stringify(streamId)}:${version}:${lastHash}`;
}

/** XOR of 64-hex strings (the accumulator contributions of one append, or of a whole shard). */
export function xorHex(a: string, b: string): string {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  for (let i = 0; i < x.length; i++) x[i]! ^= y[i]!;
  return x.toString('hex');
}

export const ZERO_ACC = '0'.repeat(64);

/** Rows of es_mac_shards (migration 0030 creates exactly this many). */
export const MAC_SHARDS = 64;

/**
 * Only for stores built without a key (unit tests, benches, scripts that read): the service's
 * composition root always passes the configured or generated key. Public, so it proves nothing.
 */
export const INSECURE_DEFAULT_MAC_KEY = Buffer.from('social-work-stations/insecure-default-event-mac-key/v1');

/** Where `npm start` keeps the event MAC key it generated when EVENT_MAC_KEY is not set. */
export const macKeyPath = (dataDir: string) => join(dataDir, 'event-mac-key');

/**
 * The configured key (EVENT_MAC_KEY: base64 or hex of at least 32 bytes), else the key file
 * under DATA_DIR, created on first start (mode 0600), like the JWT secret. Keep it out of the
 * database's backups: whoever holds both can forge rows.
 */
export function loadMacKey(config: { EVENT_MAC_KEY?: string; DATA_DIR: string }): { key: Buffer; created: boolean } {
  if (config.EVENT_MAC_KEY) return { key: parseMacKey(config.EVENT_MAC_KEY), created: false };
  const path = macKeyPath(config.DATA_DIR);
  if (existsSync(path)) return { key: parseMacKey(readFileSync(path, 'utf8').trim()), created: false };
  mkdirSync(config.DATA_DIR, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64url')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { key, created: true };
}

export function parseMacKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64url');
  if (key.length < 32) throw new Error('EVENT_MAC_KEY must be at least 32 bytes (64 hex digits or 43 base64url characters)');
  return key;
}

/** The accumulator shard of a stream: a stable FNV-1a of its id. */
export function macShard(streamId: string, shards: number): number {
  let h = 0x811c9dc5;
  // Over the UTF-8 bytes; an ASCII id is its own bytes, with no buffer to allocate (the whole-log
  // verify asks once an event).
  for (let i = 0; i < streamId.length; i++) {
    const code = streamId.charCodeAt(i);
    if (code > 0x7f) return macShardOfBytes(streamId, shards);
    h = Math.imul(h ^ code, 0x01000193) >>> 0;
  }
  return h % shards;
}

function macShardOfBytes(streamId: string, shards: number): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(streamId)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h % shards;
}
