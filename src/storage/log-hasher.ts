import { leafHash } from '../application/ledger/merkle';
import { checkContent, checkHashedText, jsonbGivesText } from './chain-link';
import { MAC_SHARDS, macShard, type EventMac } from './event-mac';

/** A position in the log's global order, as text (bigints). */
export interface LogPosition {
  transactionId: string;
  globalPosition: string;
}

/** The columns the chain check needs, nothing else (no position encoding, no upcasting). */
export interface PassRow {
  transaction_id: string;
  global_position: string;
  event_id: string;
  stream_id: string;
  version: string | number;
  type: string;
  schema_version: number;
  /** The stored jsonb: only for rows without their hashed text, or when the texts are compared here (`compareIn: 'node'`). */
  data?: unknown;
  metadata?: { recordedAt?: unknown } | null;
  /** The hashed text of data and metadata (0177); null for rows written before it or forged without it. */
  data_jcs: string | null;
  metadata_jcs: string | null;
  /** Whether the jsonb columns still equal the parse of those texts, compared by the database (null without texts). */
  jsonb_matches?: boolean | null;
  /** The metadata's recorded-at as the jsonb holds it (`->>`), read with the comparison. */
  metadata_recorded_at?: string | null;
  /**
   * The column; null when the database compared it already (a row with its texts): it is the
   * instant the metadata's recorded-at names, written as toIso writes it (the column is not null).
   */
  recorded_at: Date | string | null;
  prev_hash: string;
  hash: string;
  mac?: string;
}

/**
 * A page of the log once the per-event work is done (issue 20): the content hash recomputed, the
 * MACs checked, the accumulator contributions folded per shard, the Merkle leaves hashed. What is
 * left for whoever reads the pages in order is what depends on the order: the links between a
 * stream's events and the tree. Plain arrays and bytes, so a worker thread can send it cheaply.
 */
export interface HashedPage {
  streamIds: string[];
  eventIds: string[];
  versions: number[];
  prevHashes: string[];
  hashes: string[];
  /** Events whose stored content does not give their hash (or whose recorded_at is wrong): [index, reason]. */
  contentBreaks: Array<[number, string]>;
  /** Indexes of events whose MAC does not match. */
  macFailures: number[];
  /** Events per accumulator shard and the XOR of their contributions (32 bytes a shard); null without MACs. */
  shardCounts: number[] | null;
  shardAcc: Uint8Array | null;
  /** RFC 9162 leaf hashes, 32 bytes an event, when asked for. */
  leaves: Uint8Array | null;
  /** Where the page ends (null: empty page). */
  last: LogPosition | null;
}

/** The gap-safe bound readAll uses: nothing a slower transaction may still commit lies below it. */
export const GAP_SAFE_BOUND = `(select pg_snapshot_xmin(pg_current_snapshot())::text::bigint + (select base from es_position_base))`;

/**
 * Where a row's jsonb is compared with its hashed text: by the database (the default: it parses
 * the text on its own core while this thread hashes, and sends no jsonb), or here, from both sent
 * over (the page again when the database could not parse a text: an invalid one stops the query).
 */
export type JsonbComparison = 'database' | 'node';

/**
 * The SQL of one page of the pass (ordered by the table's columns: the text aliases would sort as text): after `$1, $2` (transaction id, position), below the gap-safe
 * bound when `bounded`, up to and including `$3, $4` when `until`; `limit` rows. A row with its
 * hashed text comes without its jsonb, which the database compares with the text instead.
 */
export function pageQuery(options: { macs: boolean; bounded: boolean; until: boolean; limit: number; compareIn?: JsonbComparison }): string {
  const noText = 'data_jcs is null or metadata_jcs is null';
  // The recorded-at check of checkContent (chain-link.ts) where it cannot differ from it: the
  // column written as Date.toISOString writes it (UTC, milliseconds cut, as the driver's Date cuts
  // them; years 1000–9999, where to_char's and toISOString's years agree) equals the metadata's.
  // The driver then parses no timestamp for the row; any other row gets both values, checked here.
  const recordedOk = `not (${noText}) and metadata->>'recordedAt' = to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
         and recorded_at >= timestamptz '1000-01-01 00:00:00+00' and recorded_at < timestamptz '10000-01-01 00:00:00+00'`;
  const stored =
    options.compareIn === 'node'
      ? 'data, metadata, recorded_at'
      : `case when ${noText} then coalesce(data, data_jcs::jsonb) end as data, case when ${noText} then metadata end as metadata,
       case when not (${noText}) then (data is null or data = data_jcs::jsonb) and metadata = metadata_jcs::jsonb end as jsonb_matches,
       case when ${recordedOk} then null else metadata->>'recordedAt' end as metadata_recorded_at,
       case when ${recordedOk} then null else recorded_at end as recorded_at`;
  return `select transaction_id::text as transaction_id, global_position::text as global_position, event_id, stream_id, version, type, schema_version,
       ${stored}, data_jcs, metadata_jcs, prev_hash, hash${options.macs ? ', mac' : ''}
    from es_events
    where ${options.bounded ? `transaction_id < ${GAP_SAFE_BOUND} and ` : ''}(transaction_id, global_position) > ($1::bigint, $2::bigint)
      ${options.until ? 'and (transaction_id, global_position) <= ($3::bigint, $4::bigint)' : ''}
    order by es_events.transaction_id, es_events.global_position
    limit ${Math.max(1, Math.floor(options.limit))}`;
}

/**
 * One page of the pass: the comparison of jsonb and text in the database, else (a text it could
 * not parse as JSON stops the query: an edit only an attacker makes) the same page again with
 * the comparison here, so that the edit is reported as an altered event, not as a failed verify.
 */
export async function readPassPage(
  run: (text: string) => Promise<readonly PassRow[]>,
  options: { macs: boolean; bounded: boolean; until: boolean; limit: number },
): Promise<readonly PassRow[]> {
  try {
    return await run(pageQuery({ ...options, compareIn: 'database' }));
  } catch (error) {
    if (!isUnparsableText(error)) throw error;
    return run(pageQuery({ ...options, compareIn: 'node' }));
  }
}

/** SQLSTATE class 22 (data exception: invalid JSON, an unsupported escape) or 54001 (nested too deep). */
export function isUnparsableText(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code === '54001');
}

/** A page's result before its `n` events are hashed into it; `shards` when the MACs are summed here. */
export function emptyHashedPage(n: number, options: { shards: boolean; withLeaves: boolean; last: HashedPage['last'] }): HashedPage {
  return {
    streamIds: new Array<string>(n),
    eventIds: new Array<string>(n),
    versions: new Array<number>(n),
    prevHashes: new Array<string>(n),
    hashes: new Array<string>(n),
    contentBreaks: [],
    macFailures: [],
    shardCounts: options.shards ? new Array<number>(MAC_SHARDS).fill(0) : null,
    shardAcc: options.shards ? new Uint8Array(MAC_SHARDS * 32) : null,
    leaves: options.withLeaves ? new Uint8Array(n * 32) : null,
    last: options.last,
  };
}

/**
 * The per-event work of the whole-log verify over one page of rows, in the order given. The same
 * function runs on the verifying thread (PGlite, small logs) and in the verify's worker threads.
 */
export function hashPage(rows: readonly PassRow[], mac: EventMac | null, withLeaves: boolean): HashedPage {
  const n = rows.length;
  const last = n > 0 ? { transactionId: String(rows[n - 1]!.transaction_id), globalPosition: String(rows[n - 1]!.global_position) } : null;
  const page = emptyHashedPage(n, { shards: mac !== null, withLeaves, last });
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const version = Number(row.version);
    page.streamIds[i] = row.stream_id;
    page.eventIds[i] = row.event_id;
    page.versions[i] = version;
    page.prevHashes[i] = row.prev_hash;
    page.hashes[i] = row.hash;
    const reason = rowContent(row, version);
    if (reason) page.contentBreaks.push([i, reason]);
    if (mac) {
      if (row.mac !== mac.event(row.hash)) page.macFailures.push(i);
      const shard = macShard(row.stream_id, MAC_SHARDS);
      page.shardCounts![shard]!++;
      const contribution = mac.accumulateRaw(row.hash);
      const acc = page.shardAcc!;
      for (let b = 0, at = shard * 32; b < 32; b++, at++) acc[at]! ^= contribution[b]!;
    }
    if (page.leaves) page.leaves.set(leafHash(row.hash), i * 32);
  }
  return page;
}

/** checkContent of a row: from its hashed text when it has one (no JSON parsed here), else from its jsonb. */
export function rowContent(row: PassRow, version: number): string | null {
  if (row.data_jcs === null || row.metadata_jcs === null) {
    return checkContent({
      streamId: row.stream_id,
      eventId: row.event_id,
      version,
      type: row.type,
      schemaVersion: row.schema_version,
      data: row.data,
      metadata: row.metadata ?? {},
      prevHash: row.prev_hash,
      hash: row.hash,
      // Rows without their texts always come with the column (pageQuery).
      recordedAt: row.recorded_at ?? '',
    });
  }
  const compared = row.jsonb_matches !== undefined;
  return checkHashedText({
    streamId: row.stream_id,
    eventId: row.event_id,
    version,
    type: row.type,
    schemaVersion: row.schema_version,
    prevHash: row.prev_hash,
    hash: row.hash,
    dataJson: row.data_jcs,
    metadataJson: row.metadata_jcs,
    jsonbMatches: compared
      ? row.jsonb_matches === true
      : (row.data === null || jsonbGivesText(row.data, row.data_jcs)) && jsonbGivesText(row.metadata, row.metadata_jcs),
    metadataRecordedAt: compared ? row.metadata_recorded_at : row.metadata?.recordedAt,
    recordedAt: row.recorded_at,
  });
}
