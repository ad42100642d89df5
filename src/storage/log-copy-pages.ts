import { hash } from 'node:crypto';
import pg from 'pg';
import { HASH_FORMAT } from '../application/hash-chain';
import { leafHash } from '../application/ledger/merkle';
import { MAC_SHARDS, macShard } from './event-mac';
import { rowContent, type HashedPage, type LogPosition, type PassRow } from './log-hasher';

/**
 * The whole-log verify's pages as PostgreSQL's binary COPY tuples (issue 20). The rows are what
 * pageQuery's are, column for column and checked the same way; only the wire differs: the
 * hashed texts are hashed from their bytes as they came (the event's canonical JSON written into
 * one reused buffer around them), so a row costs no row object, no string per column and no
 * JavaScript copy of its texts. Any row the fast path is not sure of (no hashed text, a
 * recorded_at the database did not vouch for, a field that JSON would escape, a version past
 * 2^32) is rebuilt as the row pg would have given and checked by rowContent, as on one connection.
 */

const F = {
  transactionId: 0,
  globalPosition: 1,
  eventId: 2,
  streamId: 3,
  version: 4,
  type: 5,
  schemaVersion: 6,
  dataJcs: 7,
  metadataJcs: 8,
  jsonbMatches: 9,
  metadataRecordedAt: 10,
  recordedAt: 11,
  data: 12,
  metadata: 13,
  prevHash: 14,
  hash: 15,
  mac: 16,
} as const;

const POSITION = /^-?\d{1,19}$/;

/**
 * `COPY (…) TO STDOUT (format binary)` of the rows in (after, until], `limit` of them, in the
 * log's order: pageQuery's columns and checks (jsonb against text, recorded_at against the
 * metadata's) in the order of F. The positions are the log's own bigints, written into the text
 * (COPY takes no parameters): checked to be integers first.
 */
export function copyRangeQuery(options: { macs: boolean; after: LogPosition; until: LogPosition; limit: number }): string {
  const { after, until } = options;
  for (const p of [after.transactionId, after.globalPosition, until.transactionId, until.globalPosition]) {
    if (!POSITION.test(p)) throw new Error(`not a log position: ${p}`);
  }
  const noText = 'data_jcs is null or metadata_jcs is null';
  // As pageQuery (log-hasher.ts): where the database vouches for recorded_at, neither value is sent.
  const recordedOk = `not (${noText}) and metadata->>'recordedAt' = to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
         and recorded_at >= timestamptz '1000-01-01 00:00:00+00' and recorded_at < timestamptz '10000-01-01 00:00:00+00'`;
  // The recorded_at check computed once a row (a lateral of its own), not in each of the two columns it decides.
  return `copy (select transaction_id, global_position, event_id::text, stream_id, version, type, schema_version, data_jcs, metadata_jcs,
       case when not (${noText}) then (data is null or data = data_jcs::jsonb) and metadata = metadata_jcs::jsonb end,
       case when vouched.ok then null else metadata->>'recordedAt' end,
       case when vouched.ok then null else recorded_at::text end,
       case when ${noText} then coalesce(data, data_jcs::jsonb)::text end, case when ${noText} then metadata::text end,
       prev_hash, hash, ${options.macs ? 'mac' : 'null::text'}
    from es_events cross join lateral (select ${recordedOk} as ok offset 0) vouched
    where (transaction_id, global_position) > (${after.transactionId}::bigint, ${after.globalPosition}::bigint)
      and (transaction_id, global_position) <= (${until.transactionId}::bigint, ${until.globalPosition}::bigint)
    order by es_events.transaction_id, es_events.global_position
    limit ${Math.max(1, Math.floor(options.limit))}) to stdout (format binary)`;
}

const FIELDS = 17;
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** A page of binary COPY tuples: where each field starts and how long it is (-1: null). */
export class CopiedRows {
  readonly count: number;
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;

  /** `limit`: the most tuples the COPY can hold (its query's limit). */
  constructor(
    readonly bytes: Buffer,
    limit: number,
  ) {
    if (bytes.length < 19 || !bytes.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY');
    let at = 15 + 4 + bytes.readUInt32BE(15);
    // Sized by the query's limit and by a lower bound of a tuple's length (2 + 17 × 4 bytes),
    // whichever is less (the latter alone allocated 17 times what a county page needs).
    const capacity = Math.min(Math.max(0, Math.floor(limit)), Math.ceil(bytes.length / (2 + FIELDS * 4)));
    const starts = new Int32Array(capacity * FIELDS);
    const lengths = new Int32Array(capacity * FIELDS);
    let count = 0;
    for (;;) {
      const fields = bytes.readInt16BE(at);
      at += 2;
      if (fields === -1) break;
      if (fields !== FIELDS) throw new Error(`a COPY tuple of ${fields} fields`);
      if (count === capacity) throw new Error(`a COPY of more than ${capacity} tuples`);
      for (let f = 0, k = count * FIELDS; f < FIELDS; f++, k++) {
        const length = bytes.readInt32BE(at);
        at += 4;
        starts[k] = at;
        lengths[k] = length;
        if (length > 0) at += length;
      }
      count++;
    }
    this.count = count;
    this.starts = starts;
    this.lengths = lengths;
  }

  isNull(row: number, field: number): boolean {
    return this.lengths[row * FIELDS + field]! < 0;
  }

  text(row: number, field: number): string | null {
    const k = row * FIELDS + field;
    const length = this.lengths[k]!;
    return length < 0 ? null : this.bytes.toString('utf8', this.starts[k], this.starts[k]! + length);
  }

  int8(row: number, field: number): bigint {
    return this.bytes.readBigInt64BE(this.starts[row * FIELDS + field]);
  }

  position(row: number): LogPosition {
    return { transactionId: this.int8(row, F.transactionId).toString(), globalPosition: this.int8(row, F.globalPosition).toString() };
  }

  start(row: number, field: number): number {
    return this.starts[row * FIELDS + field]!;
  }

  length(row: number, field: number): number {
    return this.lengths[row * FIELDS + field]!;
  }

  /** The row as pg would have given pageQuery's (compared in the database), for rowContent. */
  passRow(row: number): PassRow {
    const recordedAt = this.text(row, F.recordedAt);
    const data = this.text(row, F.data);
    const metadata = this.text(row, F.metadata);
    const matches = this.isNull(row, F.jsonbMatches) ? null : this.bytes[this.start(row, F.jsonbMatches)] === 1;
    return {
      transaction_id: this.int8(row, F.transactionId).toString(),
      global_position: this.int8(row, F.globalPosition).toString(),
      event_id: this.text(row, F.eventId)!,
      stream_id: this.text(row, F.streamId)!,
      version: this.int8(row, F.version).toString(),
      type: this.text(row, F.type)!,
      schema_version: this.bytes.readInt32BE(this.start(row, F.schemaVersion)),
      data: data === null ? null : JSON.parse(data),
      metadata: metadata === null ? null : (JSON.parse(metadata) as PassRow['metadata']),
      data_jcs: this.text(row, F.dataJcs),
      metadata_jcs: this.text(row, F.metadataJcs),
      jsonb_matches: matches,
      metadata_recorded_at: this.text(row, F.metadataRecordedAt),
      recorded_at: recordedAt === null ? null : (TIMESTAMPTZ(recordedAt) as Date),
      prev_hash: this.text(row, F.prevHash)!,
      hash: this.text(row, F.hash)!,
      ...(this.isNull(row, F.mac) ? {} : { mac: this.text(row, F.mac)! }),
    };
  }
}

const TIMESTAMPTZ = pg.types.getTypeParser(1184, 'text') as (text: string) => unknown;

const piece = (text: string) => Buffer.from(text, 'utf8');
const OPEN_DATA = piece('{"data":');
const EVENT_ID = piece(',"eventId":"');
const METADATA = piece(`","hashFormat":${HASH_FORMAT},"metadata":`);
const PREV_HASH = piece(',"prevHash":');
const SCHEMA_VERSION = piece(',"schemaVersion":');
const STREAM_ID = piece(',"streamId":');
const TYPE = piece(',"type":');
const VERSION = piece(',"version":');
const ALTERED = 'content does not match its hash: the event was altered';

/**
 * Fills the stream id and stored hash of every row (what the MACs are computed from, sent to the
 * MAC thread before the content is hashed), and gives each row's stored MAC and shard.
 */
export function copiedMacInputs(rows: CopiedRows, page: HashedPage, withMacs: boolean): { stored: string[]; shards: Uint8Array } | null {
  const stored = withMacs ? new Array<string>(rows.count) : null;
  const shards = withMacs ? new Uint8Array(rows.count) : null;
  for (let i = 0; i < rows.count; i++) {
    const streamId = rows.text(i, F.streamId)!;
    page.streamIds[i] = streamId;
    page.hashes[i] = rows.text(i, F.hash)!;
    if (stored && shards) {
      stored[i] = rows.text(i, F.mac)!;
      shards[i] = macShard(streamId, MAC_SHARDS);
    }
  }
  return stored && shards ? { stored, shards } : null;
}

/**
 * Hashes rows [from, to) of `rows` into `page` (at the same indexes, streamIds and hashes filled
 * by copiedMacInputs): what hashPage does for the rows pg would give, MACs aside.
 */
export function hashCopiedRows(rows: CopiedRows, from: number, to: number, page: HashedPage): void {
  for (let i = from; i < to; i++) {
    const eventHash = page.hashes[i]!;
    // The bytes can be hashed as they are: texts to hash, the database's checks done (jsonb,
    // recorded_at), a version JSON writes as the driver's Number would; canonicalEvent then finds
    // whether a quoted field needs an escape.
    const direct =
      rows.bytes.readInt32BE(rows.start(i, F.version)) === 0 &&
      !rows.isNull(i, F.dataJcs) &&
      !rows.isNull(i, F.metadataJcs) &&
      !rows.isNull(i, F.jsonbMatches) &&
      rows.isNull(i, F.recordedAt) &&
      rows.isNull(i, F.metadataRecordedAt);
    const fastVersion = direct ? rows.bytes.readUInt32BE(rows.start(i, F.version) + 4) : 0;
    const text = direct ? canonicalEvent(rows, i, fastVersion) : null;
    let version: number;
    let reason: string | null;
    if (text) {
      version = fastVersion;
      const recomputed = hash('sha256', text, 'hex');
      const matches = rows.bytes[rows.start(i, F.jsonbMatches)] === 1;
      reason = recomputed !== eventHash || !matches ? ALTERED : null;
    } else {
      const row = rows.passRow(i);
      version = Number(row.version);
      reason = rowContent(row, version);
    }
    page.eventIds[i] = rows.text(i, F.eventId)!;
    page.versions[i] = version;
    page.prevHashes[i] = rows.text(i, F.prevHash)!;
    if (reason) page.contentBreaks.push([i, reason]);
    if (page.leaves) page.leaves.set(leafHash(eventHash), i * 32);
  }
}

let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * chainedHash's text (hash-chain.ts), as UTF-8 bytes, written from the row's own bytes; null when
 * a quoted field holds a byte JSON.stringify would escape (the row is then checked the slow way).
 * No closures here: the loader's keepNames wraps each in a call per event.
 */
function canonicalEvent(rows: CopiedRows, i: number, version: number): Buffer | null {
  const need =
    rows.length(i, F.dataJcs) +
    rows.length(i, F.metadataJcs) +
    rows.length(i, F.eventId) +
    rows.length(i, F.prevHash) +
    rows.length(i, F.streamId) +
    rows.length(i, F.type) +
    256;
  if (need > scratch.length) scratch = Buffer.allocUnsafe(Math.max(need, scratch.length * 2));
  const out = scratch;
  const src = rows.bytes;
  let at = put(out, 0, OPEN_DATA);
  at = copy(out, at, src, rows.start(i, F.dataJcs), rows.length(i, F.dataJcs));
  at = put(out, at, EVENT_ID);
  at = copyPlain(out, at, src, rows.start(i, F.eventId), rows.length(i, F.eventId));
  if (at < 0) return null;
  at = put(out, at, METADATA);
  at = copy(out, at, src, rows.start(i, F.metadataJcs), rows.length(i, F.metadataJcs));
  at = put(out, at, PREV_HASH);
  at = quotedPlain(out, at, src, rows.start(i, F.prevHash), rows.length(i, F.prevHash));
  if (at < 0) return null;
  at = put(out, at, SCHEMA_VERSION);
  at = writeInteger(out, at, src.readInt32BE(rows.start(i, F.schemaVersion)));
  at = put(out, at, STREAM_ID);
  at = quotedPlain(out, at, src, rows.start(i, F.streamId), rows.length(i, F.streamId));
  if (at < 0) return null;
  at = put(out, at, TYPE);
  at = quotedPlain(out, at, src, rows.start(i, F.type), rows.length(i, F.type));
  if (at < 0) return null;
  at = put(out, at, VERSION);
  at = writeInteger(out, at, version);
  out[at++] = 0x7d;
  return out.subarray(0, at);
}

function put(out: Buffer, at: number, piece: Buffer): number {
  for (let k = 0; k < piece.length; k++) out[at + k] = piece[k]!;
  return at + piece.length;
}

/** Short fields byte by byte (a copy call costs more than it moves), long ones by copy. */
function copy(out: Buffer, at: number, src: Buffer, start: number, length: number): number {
  if (length > 64) return at + src.copy(out, at, start, start + length);
  for (let k = 0; k < length; k++) out[at + k] = src[start + k]!;
  return at + length;
}

/** The field as it is, or -1 when it holds a byte JSON.stringify would escape (a control character, `"`, `\`). */
function copyPlain(out: Buffer, at: number, src: Buffer, start: number, length: number): number {
  for (let k = 0; k < length; k++) {
    const b = src[start + k]!;
    if (b < 0x20 || b === 0x22 || b === 0x5c) return -1;
    out[at + k] = b;
  }
  return at + length;
}

/** JSON.stringify of the field's text, when that is the text between quotes; else -1. */
function quotedPlain(out: Buffer, at: number, src: Buffer, start: number, length: number): number {
  out[at] = 0x22;
  const end = copyPlain(out, at + 1, src, start, length);
  if (end < 0) return -1;
  out[end] = 0x22;
  return end + 1;
}

/** JSON.stringify of an integer of at most 10 digits, as ASCII. */
function writeInteger(out: Buffer, at: number, value: number): number {
  let n = value;
  if (n < 0) {
    out[at++] = 0x2d;
    n = -n;
  }
  let digits = 1;
  for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
  for (let k = at + digits - 1; k >= at; k--) {
    out[k] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + digits;
}
