import { sql, type Kysely } from 'kysely';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { BrokenLink, VerifyOptions, VerifyReport } from '../application/event-store';
import { GENESIS_HASH } from '../application/hash-chain';
import type { Database } from './database';
import { MAC_SHARDS, macShard, type EventMac } from './event-mac';
import { checkLink, type LinkedEvent } from './chain-link';
import { yieldEvery } from '../application/yield-to-event-loop';

/** The stream row of es_streams, as the checks read it. */
export interface HeadRow {
  stream_id: string;
  version: string;
  last_hash: string;
  head_mac: string | null;
}

/** The columns the chain check needs, nothing else (no position encoding, no upcasting). */
interface PassRow {
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

/** The last event of a stream the pass has seen, and whether its stream row was found. */
interface StreamState {
  version: number;
  hash: string;
  rowSeen: boolean;
}

/** Streams whose last event the pass remembers; beyond it, a predecessor is read back from the log. */
export const DEFAULT_HEAD_CACHE = 250_000;

/**
 * The whole-log verify in one pass over the log in its global order (issue 20): each event's hash
 * recomputed once, its link to the stream's previous event checked against the previous event's
 * state kept in a bounded map (the predecessor read back from the log when the map no longer has
 * it), MACs and accumulators checked on the way, and each page handed to `onPage` so the ledger
 * audit builds its Merkle tree from the same reading. The stream rows are checked after the
 * pass, in keyset pages. Memory: one page, the next being fetched, and the map.
 */
export async function verifyWholeLog(db: Kysely<Database>, mac: EventMac | null, options: VerifyOptions = {}): Promise<VerifyReport> {
  const batch = Math.max(1, options.batchSize ?? 500);
  const capacity = Math.max(1, options.headCacheSize ?? DEFAULT_HEAD_CACHE);
  const broken = new Map<string, BrokenLink>();
  const macFailures: BrokenLink[] = [];
  const shardCounts = new Array<number>(MAC_SHARDS).fill(0);
  const shardAcc = Array.from({ length: MAC_SHARDS }, () => Buffer.alloc(32));
  const streams = new Map<string, StreamState>();
  let evicted = false;
  let eventsChecked = 0;
  let last = { transactionId: '0', globalPosition: '0' };
  // Hashing is CPU work on the thread that answers /health: a turn for others every 100 events.
  const breathe = yieldEvery(100);

  // Pages below the gap-safe bound readAll uses (nothing a slower transaction may still commit
  // before), then, once they run out, whatever is committed past it: the whole log as it is now.
  let bounded = true;
  const fetchPage = (after: { transactionId: string; globalPosition: string }) => {
    const bound = bounded
      ? sql`transaction_id < (select pg_snapshot_xmin(pg_current_snapshot())::text::bigint + (select base from es_position_base)) and`
      : sql``;
    const page = sql<PassRow>`
      select transaction_id::text as transaction_id, global_position, event_id, stream_id, version, type, schema_version,
             data, metadata, recorded_at, prev_hash, hash ${mac ? sql`, mac` : sql``}
      from es_events
      where ${bound} (transaction_id, global_position) > (${after.transactionId}::bigint, ${after.globalPosition}::bigint)
      order by es_events.transaction_id, es_events.global_position
      limit ${batch}`.execute(db);
    page.catch(() => undefined);
    return page;
  };

  let next = fetchPage(last);
  for (;;) {
    const { rows } = await next;
    let full = rows.length >= batch;
    if (!full && bounded) {
      bounded = false;
      full = true;
    }
    if (rows.length > 0) {
      const end = rows[rows.length - 1]!;
      last = { transactionId: end.transaction_id, globalPosition: String(end.global_position) };
    }
    // The next page is read while this one is hashed.
    if (full) next = fetchPage(last);
    const predecessors = await predecessorsFor(db, rows, streams);
    for (const row of rows) {
      await breathe();
      const version = Number(row.version);
      const streamId = row.stream_id;
      const known = streams.get(streamId);
      const previous =
        version === 1
          ? { version: 0, hash: GENESIS_HASH }
          : known && known.version === version - 1
            ? known
            : (predecessors.get(`${streamId}\u0000${version}`) ?? { version: 0, hash: GENESIS_HASH });
      if (!broken.has(streamId)) {
        const reason = checkLink(linked(row, version), previous);
        if (reason) broken.set(streamId, { streamId, version, eventId: row.event_id, reason });
      }
      if (mac) {
        if (row.mac !== mac.event(row.hash)) {
          macFailures.push({ streamId, version, eventId: row.event_id, reason: 'MAC does not match: this row was not written by the service' });
        }
        const shard = macShard(streamId, MAC_SHARDS);
        shardCounts[shard]!++;
        xorInto(shardAcc[shard]!, mac.accumulateRaw(row.hash));
      }
      // Never moved backwards: an event out of order must not make the map forget a later one.
      if (!known || version > known.version) {
        streams.delete(streamId);
        streams.set(streamId, { version, hash: row.hash, rowSeen: false });
        if (streams.size > capacity) {
          streams.delete(streams.keys().next().value!);
          evicted = true;
        }
      }
      eventsChecked++;
    }
    if (options.onPage) {
      await options.onPage(
        rows.map((r) => ({ eventId: r.event_id, streamId: r.stream_id, version: Number(r.version), hash: r.hash })),
        eventsChecked,
      );
    }
    options.onBatch?.(eventsChecked);
    if (!full) break;
  }

  const streamsChecked = await checkStreamRows(db, mac, streams, broken, last, batch);
  // Streams with events and no row: from the map, or (when it overflowed) from the log itself.
  const missingRow = (streamId: string) => {
    if (!broken.has(streamId)) broken.set(streamId, { streamId, version: 0, eventId: null, reason: 'the stream row is missing: its head was deleted' });
  };
  for (const [streamId, state] of streams) if (!state.rowSeen) missingRow(streamId);
  if (evicted) {
    const orphans = await sql<{ stream_id: string }>`
      select distinct e.stream_id from es_events e where not exists (select 1 from es_streams s where s.stream_id = e.stream_id)`.execute(db);
    for (const o of orphans.rows) missingRow(o.stream_id);
  }

  const shardBreaks: BrokenLink[] = [];
  if (mac) {
    const stored = await sql<{ shard: number; events: string; acc: string }>`select shard, events, acc::text as acc from es_mac_shards order by shard`.execute(
      db,
    );
    for (const row of stored.rows) {
      const n = Number(row.shard);
      const found = { events: shardCounts[n] ?? 0, acc: shardAcc[n]?.toString('hex') ?? '0'.repeat(64) };
      if (Number(row.events) !== found.events || bitsToHex(row.acc) !== found.acc) {
        shardBreaks.push({
          streamId: `(accumulator shard ${row.shard})`,
          version: 0,
          eventId: null,
          reason: `the service appended ${row.events} events to this shard's streams, ${found.events} are stored${Number(row.events) === found.events ? ' but they are not the ones it wrote' : ''}: events or whole streams were deleted or forged`,
        });
      }
    }
  }
  return { streamsChecked, eventsChecked, broken: [...broken.values(), ...macFailures, ...shardBreaks] };
}

function linked(row: PassRow, version: number): LinkedEvent {
  return {
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
  };
}

/**
 * The events of a page whose predecessor the map cannot give (a stream first seen here past
 * version 1, a map that overflowed, events out of order): their predecessors read back from the
 * log in one query, keyed `stream\0version`.
 */
async function predecessorsFor(
  db: Kysely<Database>,
  rows: readonly PassRow[],
  streams: ReadonlyMap<string, StreamState>,
): Promise<Map<string, { version: number; hash: string }>> {
  const inPage = new Map<string, number>();
  const ids: string[] = [];
  const versions: number[] = [];
  for (const row of rows) {
    const version = Number(row.version);
    const known = inPage.get(row.stream_id) ?? streams.get(row.stream_id)?.version;
    if (version !== 1 && known !== version - 1) {
      ids.push(row.stream_id);
      versions.push(version);
    }
    if (known === undefined || version > known) inPage.set(row.stream_id, version);
  }
  const found = new Map<string, { version: number; hash: string }>();
  if (ids.length === 0) return found;
  const result = await sql<{ stream_id: string; v: string; version: string; hash: string }>`
    select q.stream_id, q.v, p.version, p.hash
    from unnest(${ids}::text[], ${versions}::bigint[]) as q(stream_id, v)
    join lateral (select version, hash from es_events e where e.stream_id = q.stream_id and e.version < q.v order by e.version desc limit 1) p on true`.execute(
    db,
  );
  for (const r of result.rows) found.set(`${r.stream_id}\u0000${r.v}`, { version: Number(r.version), hash: r.hash });
  return found;
}

/**
 * Every stream row against the last event the pass saw of its stream (or, past the map, the
 * last event in the log): deleting trailing events is tampering too; the head's MAC proves the
 * service wrote it. A head ahead of the pass because events were appended meanwhile is not a
 * break when the log holds its last event after where the pass stopped.
 */
async function checkStreamRows(
  db: Kysely<Database>,
  mac: EventMac | null,
  streams: Map<string, StreamState>,
  broken: Map<string, BrokenLink>,
  passEnd: { transactionId: string; globalPosition: string },
  batch: number,
): Promise<number> {
  let checked = 0;
  let after = '';
  const pageSize = Math.max(batch, 2000);
  for (;;) {
    const page = await sql<HeadRow>`
      select stream_id, version, last_hash, head_mac from es_streams where stream_id > ${after} order by stream_id limit ${pageSize}`.execute(db);
    const unknown = page.rows.filter((h) => !streams.has(h.stream_id)).map((h) => h.stream_id);
    const lastOf = await lastEvents(db, unknown);
    const ahead: HeadRow[] = [];
    for (const head of page.rows) {
      const state = streams.get(head.stream_id);
      if (state) state.rowSeen = true;
      const lastEvent = state ?? lastOf.get(head.stream_id) ?? { version: 0, hash: null };
      if (state && Number(head.version) > state.version) ahead.push(head);
      else checked += checkHead(head.stream_id, head, lastEvent, broken, mac);
    }
    for (const head of ahead) {
      const appendedSince = await sql<{ n: number }>`
        select 1 as n from es_events
        where stream_id = ${head.stream_id} and version = ${head.version}::bigint and hash = ${head.last_hash}
          and (transaction_id, global_position) > (${passEnd.transactionId}::bigint, ${passEnd.globalPosition}::bigint)`.execute(db);
      const state = streams.get(head.stream_id)!;
      const lastEvent = appendedSince.rows.length > 0 ? { version: Number(head.version), hash: head.last_hash } : state;
      checked += checkHead(head.stream_id, head, lastEvent, broken, mac);
    }
    await nextTurn();
    if (page.rows.length < pageSize) return checked;
    after = page.rows[page.rows.length - 1]!.stream_id;
  }
}

/** The last event of each stream, for streams the pass no longer remembers (or never saw). */
async function lastEvents(db: Kysely<Database>, streamIds: string[]): Promise<Map<string, { version: number; hash: string }>> {
  const found = new Map<string, { version: number; hash: string }>();
  if (streamIds.length === 0) return found;
  const result = await sql<{ stream_id: string; version: string; hash: string }>`
    select q.stream_id, p.version, p.hash from unnest(${streamIds}::text[]) as q(stream_id)
    join lateral (select version, hash from es_events e where e.stream_id = q.stream_id order by e.version desc limit 1) p on true`.execute(db);
  for (const r of result.rows) found.set(r.stream_id, { version: Number(r.version), hash: r.hash });
  return found;
}

/**
 * One stream row against its last event: 1 when checked. The first break found for a stream
 * is the one reported.
 */
export function checkHead(
  streamId: string,
  head: HeadRow | undefined,
  last: { version: number; hash: string | null },
  broken: Map<string, BrokenLink>,
  mac: EventMac | null,
): number {
  if (broken.has(streamId)) return 1;
  if (!head) {
    broken.set(streamId, { streamId, version: 0, eventId: null, reason: 'the stream row is missing: its head was deleted' });
  } else if (Number(head.version) !== last.version || (last.hash !== null && last.hash !== head.last_hash)) {
    broken.set(streamId, {
      streamId,
      version: Number(head.version),
      eventId: null,
      reason: `stream head (version ${head.version}) does not match its last stored event (version ${last.version})`,
    });
  } else if (mac && head.head_mac !== mac.head(streamId, Number(head.version), head.last_hash)) {
    broken.set(streamId, {
      streamId,
      version: Number(head.version),
      eventId: null,
      reason: 'stream head MAC does not match: the head was not written by the service',
    });
  }
  return 1;
}

function xorInto(target: Buffer, other: Buffer): void {
  for (let i = 0; i < target.length; i++) target[i]! ^= other[i]!;
}

/** bit(256) as text ('0101…') to 64 hex digits. */
export function bitsToHex(bits: string): string {
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) hex += parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}
