import { canonicalJson, chainedHash, eventHash } from '../application/hash-chain';

// Hours 00–23 and seconds 00–59 only: PostgreSQL would store 24:00 or a leap second as another instant.
export const CANONICAL_INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** Never throws: a stored value that is no instant (infinity) comes back as text for verify to report. */
export function toIso(value: Date | string | number): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/** What a link check reads of a stored event. */
export interface LinkedEvent {
  streamId: string;
  eventId: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: { recordedAt?: unknown };
  prevHash: string;
  hash: string;
  /** The recorded_at column, as the driver returns it or already as ISO text. */
  recordedAt: Date | string;
}

/** Why an event does not follow `previous` in its stream (null: it does): the hash recomputed once. */
export function checkLink(e: LinkedEvent, previous: { version: number; hash: string }): string | null {
  return checkOrder(e, previous) ?? checkContent(e);
}

/** The part of checkLink that depends on the stream's previous event: its version and hash. */
export function checkOrder(e: { version: number; prevHash: string }, previous: { version: number; hash: string }): string | null {
  if (e.version !== previous.version + 1) return `version ${e.version} follows version ${previous.version}: an event is missing`;
  if (e.prevHash !== previous.hash) return 'previous-hash does not match the hash of the event before it';
  return null;
}

/**
 * The part of checkLink that reads the event alone (its content against its hash, its
 * recorded_at): the CPU work, which the whole-log verify spreads over worker threads.
 */
export function checkContent(e: LinkedEvent): string | null {
  // eventHash reads only the chained fields; the row's hash and recordedAt are not part of it.
  const recomputed = eventHash(e);
  if (recomputed !== e.hash) return 'content does not match its hash: the event was altered';
  return checkRecordedAt(e.recordedAt, e.metadata.recordedAt);
}

function checkRecordedAt(column: Date | string, hashed: unknown): string | null {
  const recordedAt = typeof column === 'string' ? column : toIso(column);
  if (!CANONICAL_INSTANT.test(recordedAt)) return `recorded_at (${recordedAt}) is not a valid instant`;
  if (recordedAt !== hashed) return 'recorded_at differs from the recorded-at in its hashed metadata';
  return null;
}

/** What checkHashedText reads of a stored event that keeps the text of its data and metadata as hashed (0177). */
export interface HashedTextEvent {
  streamId: string;
  eventId: string;
  version: number;
  type: string;
  schemaVersion: number;
  prevHash: string;
  hash: string;
  dataJson: string;
  metadataJson: string;
  /** Whether the jsonb columns (what projections and reads use) still equal the parse of those texts. */
  jsonbMatches: boolean;
  /** The recorded-at of the jsonb metadata. */
  metadataRecordedAt: unknown;
  /** The column; null when the database found it already to be the instant metadataRecordedAt names, written canonically. */
  recordedAt: Date | string | null;
}

/**
 * checkContent for an event stored with its hashed text: the hash recomputed from the text as it
 * is (an edit of the text changes it), and the jsonb held to the text (an edit of the jsonb alone
 * leaves the hash intact but is the same alteration, with the same reason).
 */
export function checkHashedText(e: HashedTextEvent): string | null {
  const recomputed = chainedHash({
    streamId: e.streamId,
    eventId: e.eventId,
    version: e.version,
    type: e.type,
    schemaVersion: e.schemaVersion,
    prevHash: e.prevHash,
    dataJson: e.dataJson,
    metadataJson: e.metadataJson,
  });
  if (recomputed !== e.hash || !e.jsonbMatches) return 'content does not match its hash: the event was altered';
  return e.recordedAt === null ? null : checkRecordedAt(e.recordedAt, e.metadataRecordedAt);
}

/** The comparison the verify leaves to the database, made here: the stored jsonb, written canonically, is the hashed text. */
export function jsonbGivesText(stored: unknown, text: string): boolean {
  try {
    return canonicalJson(stored) === text;
  } catch {
    return false;
  }
}

/**
 * For the stream-by-stream verify, which hashes the parse of what it reads: an event that keeps
 * its hashed text (0177) must keep it canonical (the whole-log verify hashes the text as it is),
 * and any jsonb kept beside it (metadata; data written before 0191) must be the parse of that
 * text, or one of them was edited (the whole-log verify reports the same event, same reason).
 */
export function checkStoredText(
  e: { data: unknown; dataJsonb: unknown; metadata: unknown },
  texts: { data_jcs?: string | null; metadata_jcs?: string | null },
): string | null {
  if (texts.data_jcs == null || texts.metadata_jcs == null) return null;
  const dataKept = e.dataJsonb === null || e.dataJsonb === undefined || jsonbGivesText(e.dataJsonb, texts.data_jcs);
  if (dataKept && jsonbGivesText(e.data, texts.data_jcs) && jsonbGivesText(e.metadata, texts.metadata_jcs)) return null;
  return 'content does not match its hash: the event was altered';
}
