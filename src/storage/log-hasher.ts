import { leafHash } from '../application/ledger/merkle';
import { checkContent } from './chain-link';
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
  data: unknown;
  metadata: { recordedAt?: unknown };
  recorded_at: Date | string;
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
 * The SQL of one page of the pass (ordered by the table's columns: the text aliases would sort as text): after `$1, $2` (transaction id, position), below the gap-safe
 * bound when `bounded`, up to and including `$3, $4` when `until`; `limit` rows.
 */
export function pageQuery(options: { macs: boolean; bounded: boolean; until: boolean; limit: number }): string {
  return `select transaction_id::text as transaction_id, global_position::text as global_position, event_id, stream_id, version, type, schema_version,
       data, metadata, recorded_at, prev_hash, hash${options.macs ? ', mac' : ''}
    from es_events
    where ${options.bounded ? `transaction_id < ${GAP_SAFE_BOUND} and ` : ''}(transaction_id, global_position) > ($1::bigint, $2::bigint)
      ${options.until ? 'and (transaction_id, global_position) <= ($3::bigint, $4::bigint)' : ''}
    order by es_events.transaction_id, es_events.global_position
    limit ${Math.max(1, Math.floor(options.limit))}`;
}

/**
 * The per-event work of the whole-log verify over one page of rows, in the order given. The same
 * function runs on the verifying thread (PGlite, small logs) and in the verify's worker threads.
 */
export function hashPage(rows: readonly PassRow[], mac: EventMac | null, withLeaves: boolean): HashedPage {
  const n = rows.length;
  const page: HashedPage = {
    streamIds: new Array<string>(n),
    eventIds: new Array<string>(n),
    versions: new Array<number>(n),
    prevHashes: new Array<string>(n),
    hashes: new Array<string>(n),
    contentBreaks: [],
    macFailures: [],
    shardCounts: mac ? new Array<number>(MAC_SHARDS).fill(0) : null,
    shardAcc: mac ? new Uint8Array(MAC_SHARDS * 32) : null,
    leaves: withLeaves ? new Uint8Array(n * 32) : null,
    last: n > 0 ? { transactionId: String(rows[n - 1]!.transaction_id), globalPosition: String(rows[n - 1]!.global_position) } : null,
  };
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const version = Number(row.version);
    page.streamIds[i] = row.stream_id;
    page.eventIds[i] = row.event_id;
    page.versions[i] = version;
    page.prevHashes[i] = row.prev_hash;
    page.hashes[i] = row.hash;
    const reason = checkContent({
      streamId: row.stream_id,
      eventId: row.event_id,
      version,
      type: row.type,
      schemaVersion: row.schema_version,
      data: row.data,
      metadata: row.metadata,
      prevHash: row.prev_hash,
      hash: row.hash,
      recordedAt: row.recorded_at,
    });
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
