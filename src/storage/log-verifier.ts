import { CompiledQuery, sql, type Kysely } from 'kysely';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { BrokenLink, VerifiedEvent, VerifyOptions, VerifyReport } from '../application/event-store';
import { GENESIS_HASH } from '../application/hash-chain';
import type { Database } from './database';
import { headMacSubject, MAC_LABELS, MAC_SHARDS, macShard, type EventMac } from './event-mac';
import { MacThread } from './mac-thread';
import { checkOrder } from './chain-link';
import { GAP_SAFE_BOUND, emptyHashedPage, hashPage, type HashedPage, type LogPosition, type PassRow } from './log-hasher';
import { copiedMacInputs, hashCopiedRows, type CopiedRows } from './log-copy-pages';
import { copyRangePages, copyReadsOf, type ReadPage } from './log-copy-reads';
import { inRangeOrder, pagesToTheEnd, rangePages, type RunPage } from './log-page-reads';
import { defaultParallelism, hashedByThreads, parallelReadsOf } from './log-verify-pool';

/** The stream row of es_streams, as the checks read it. */
export interface HeadRow {
  stream_id: string;
  version: string;
  last_hash: string;
  head_mac: string | null;
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
  // The MAC thread, when the pass starts one (a long log on PostgreSQL): ended however the verify ends.
  const macs: MacThreadHolder = { thread: null };
  try {
    return await verifyLog(db, mac, options, macs);
  } finally {
    await macs.thread?.close();
  }
}

async function verifyLog(db: Kysely<Database>, mac: EventMac | null, options: VerifyOptions, macs: MacThreadHolder): Promise<VerifyReport> {
  const batch = Math.max(1, options.batchSize ?? 500);
  const capacity = Math.max(1, options.headCacheSize ?? DEFAULT_HEAD_CACHE);
  const broken = new Map<string, BrokenLink>();
  const macFailures: BrokenLink[] = [];
  const shardCounts = new Array<number>(MAC_SHARDS).fill(0);
  const shardAcc = Array.from({ length: MAC_SHARDS }, () => Buffer.alloc(32));
  const streams = new Map<string, StreamState>();
  let evicted = false;
  let eventsChecked = 0;
  let last: LogPosition = { transactionId: '0', globalPosition: '0' };
  // The links are light work, but a page is thousands of them: a turn for others every 500 events
  // (counted here: an awaited call per event cost more than the link check itself).
  let sinceTurn = 0;

  for await (const page of hashedPages(db, mac, batch, options, macs)) {
    const n = page.streamIds.length;
    if (page.last) last = page.last;
    const contentBreaks = new Map(page.contentBreaks);
    const predecessors = await predecessorsFor(db, page, streams);
    for (let i = 0; i < n; i++) {
      if (++sinceTurn === 500) {
        sinceTurn = 0;
        await nextTurn();
      }
      const version = page.versions[i]!;
      const streamId = page.streamIds[i]!;
      const hash = page.hashes[i]!;
      const known = streams.get(streamId);
      const previous =
        version === 1
          ? { version: 0, hash: GENESIS_HASH }
          : known && known.version === version - 1
            ? known
            : (predecessors.get(`${streamId}\u0000${version}`) ?? { version: 0, hash: GENESIS_HASH });
      if (!broken.has(streamId)) {
        // Order first, then content: the reason checkLink would give.
        const reason = checkOrder({ version, prevHash: page.prevHashes[i]! }, previous) ?? contentBreaks.get(i) ?? null;
        if (reason) broken.set(streamId, { streamId, version, eventId: page.eventIds[i]!, reason });
      }
      // Never moved backwards: an event out of order must not make the map forget a later one.
      if (!known || version > known.version) {
        streams.delete(streamId);
        streams.set(streamId, { version, hash, rowSeen: false });
        if (streams.size > capacity) {
          streams.delete(streams.keys().next().value!);
          evicted = true;
        }
      }
      eventsChecked++;
    }
    for (const i of page.macFailures) {
      macFailures.push({
        streamId: page.streamIds[i]!,
        version: page.versions[i]!,
        eventId: page.eventIds[i]!,
        reason: 'MAC does not match: this row was not written by the service',
      });
    }
    if (page.shardCounts && page.shardAcc) {
      for (let shard = 0; shard < MAC_SHARDS; shard++) {
        shardCounts[shard]! += page.shardCounts[shard]!;
        xorInto(shardAcc[shard]!, page.shardAcc.subarray(shard * 32, shard * 32 + 32));
      }
    }
    if (options.onPage) {
      const events = new Array<VerifiedEvent>(n);
      for (let i = 0; i < n; i++) {
        events[i] = { eventId: page.eventIds[i]!, streamId: page.streamIds[i]!, version: page.versions[i]!, hash: page.hashes[i]! };
        if (page.leaves) events[i]!.leaf = Buffer.from(page.leaves.buffer, page.leaves.byteOffset + i * 32, 32);
      }
      await options.onPage(events, eventsChecked);
    }
    options.onBatch?.(eventsChecked);
  }

  const streamsChecked = await checkStreamRows(db, mac, streams, broken, last, batch, macs.thread);
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

interface MacThreadHolder {
  thread: MacThread | null;
}

/**
 * The log in its global order, page by page, with the per-event work done: by worker threads on
 * connections of their own when asked for (each takes a range of `batch` events below the
 * gap-safe bound, the last range runs to the end of the log), else on this thread, from pages
 * read on `readers` pooled connections at once where the database has more than one (PostgreSQL)
 * and the log is long enough, else read one after the other, the next while this one is hashed.
 */
async function* hashedPages(
  db: Kysely<Database>,
  mac: EventMac | null,
  batch: number,
  options: VerifyOptions,
  macs: MacThreadHolder,
): AsyncGenerator<HashedPage> {
  const withLeaves = options.onPage !== undefined;
  const reads = parallelReadsOf(db);
  const parallel = { ...defaultParallelism(), ...options.parallel };
  const run: RunPage = async (text, params) => (await db.executeQuery<PassRow>(CompiledQuery.raw(text, [...params]))).rows;
  const start: LogPosition = { transactionId: '0', globalPosition: '0' };
  const read = { macs: mac !== null, batch };
  let pages: AsyncGenerator<ReadPage> = asRows(pagesToTheEnd(run, start, read));
  if (reads && (parallel.threads > 1 || parallel.readers > 1)) {
    const ranges = await rangeEnds(db, batch);
    if (ranges.length * batch >= parallel.minEvents) {
      if (parallel.threads > 1) {
        yield* hashedByThreads({ reads, mac, threads: parallel.threads, pageSize: batch, withLeaves, ranges });
        return;
      }
      const connect = parallel.binaryCopy ? copyReadsOf(db) : undefined;
      // The ranges by binary COPY where the pool allows it, else as rows; the end of the log as rows.
      pages = inRangeOrder<ReadPage>(ranges, parallel.readers, {
        range: connect
          ? (after, until) => copyRangePages(connect, run, after, until, read)
          : async (after, until) => (await rangePages(run, after, until, read)).map((rows) => ({ rows })),
        tail: (after) => asRows(pagesToTheEnd(run, after, read)),
      });
      if (mac && parallel.macThread) macs.thread = new MacThread(mac);
    }
  }
  const thread = macs.thread;
  for await (const page of pages) {
    if (page.copied) {
      yield await hashCopiedInTurns(page.copied, mac, thread, withLeaves);
      continue;
    }
    const rows = page.rows;
    if (!thread || !mac) {
      yield await hashInTurns(rows, mac, withLeaves);
      continue;
    }
    // The page's MACs on the MAC thread while this thread hashes its content.
    const checked = thread.run(
      eventMacJob(
        rows.map((r) => r.hash),
        rows.map((r) => r.mac!),
        Uint8Array.from(rows, (r) => macShard(r.stream_id, MAC_SHARDS)),
      ),
    );
    const hashed = await hashInTurns(rows, null, withLeaves);
    const result = await checked;
    hashed.macFailures = result.mismatches;
    hashed.shardCounts = result.counts;
    hashed.shardAcc = result.acc;
    yield hashed;
  }
}

async function* asRows(pages: AsyncGenerator<readonly PassRow[]>): AsyncGenerator<ReadPage> {
  for await (const rows of pages) yield { rows };
}

/**
 * hashInTurns for a page read by binary COPY: the MACs sent to the MAC thread first (or computed
 * here without one), then the content hashed a slice at a time with a turn for others in between.
 */
async function hashCopiedInTurns(copied: CopiedRows, mac: EventMac | null, thread: MacThread | null, withLeaves: boolean): Promise<HashedPage> {
  const n = copied.count;
  // The MAC sums are filled in below: from the MAC thread, or here when there is none.
  const page = emptyHashedPage(n, { shards: false, withLeaves, last: n > 0 ? copied.position(n - 1) : null });
  const inputs = copiedMacInputs(copied, page, mac !== null);
  const checked = inputs && thread ? thread.run(eventMacJob(page.hashes, inputs.stored, inputs.shards)) : null;
  for (let from = 0; from < n; from += SLICE) {
    hashCopiedRows(copied, from, Math.min(n, from + SLICE), page);
    await nextTurn();
  }
  if (checked) {
    const result = await checked;
    page.macFailures = result.mismatches;
    page.shardCounts = result.counts;
    page.shardAcc = result.acc;
  } else if (inputs && mac) {
    // hashPage's MAC checks, for a verify without a MAC thread.
    page.shardCounts = new Array<number>(MAC_SHARDS).fill(0);
    page.shardAcc = new Uint8Array(MAC_SHARDS * 32);
    for (let i = 0; i < n; i++) {
      if (inputs.stored[i] !== mac.event(page.hashes[i]!)) page.macFailures.push(i);
      const shard = inputs.shards[i]!;
      page.shardCounts[shard]!++;
      const contribution = mac.accumulateRaw(page.hashes[i]!);
      for (let b = 0, at = shard * 32; b < 32; b++, at++) page.shardAcc[at]! ^= contribution[b]!;
    }
  }
  return page;
}

/** What hashPage checks of each event's MACs, for the MAC thread: its MAC over its hash, its accumulator contribution in its shard. */
function eventMacJob(hashes: string[], stored: string[], shards: Uint8Array): Parameters<MacThread['run']>[0] {
  return {
    tags: { prefix: MAC_LABELS.event, items: hashes, expected: stored },
    xor: { prefix: MAC_LABELS.acc, items: hashes, groups: shards, groupCount: MAC_SHARDS },
  };
}

/** Slices of this many events are hashed between two turns of the event loop (/health, PGlite's replies). */
const SLICE = 100;

/** hashPage over a page, a slice at a time with a turn for others in between: one page as hashPage would give it. */
async function hashInTurns(rows: readonly PassRow[], mac: EventMac | null, withLeaves: boolean): Promise<HashedPage> {
  if (rows.length <= SLICE) return hashPage(rows, mac, withLeaves);
  const page = hashPage([], mac, withLeaves);
  const leaves = withLeaves ? new Uint8Array(rows.length * 32) : null;
  for (let from = 0; from < rows.length; from += SLICE) {
    const part = hashPage(rows.slice(from, from + SLICE), mac, withLeaves);
    page.streamIds.push(...part.streamIds);
    page.eventIds.push(...part.eventIds);
    page.versions.push(...part.versions);
    page.prevHashes.push(...part.prevHashes);
    page.hashes.push(...part.hashes);
    for (const [i, reason] of part.contentBreaks) page.contentBreaks.push([from + i, reason]);
    for (const i of part.macFailures) page.macFailures.push(from + i);
    if (page.shardCounts && part.shardCounts) for (let s = 0; s < MAC_SHARDS; s++) page.shardCounts[s]! += part.shardCounts[s]!;
    if (page.shardAcc && part.shardAcc) for (let b = 0; b < page.shardAcc.length; b++) page.shardAcc[b]! ^= part.shardAcc[b]!;
    if (leaves && part.leaves) leaves.set(part.leaves, from * 32);
    page.last = part.last;
    await nextTurn();
  }
  page.leaves = leaves;
  return page;
}

/**
 * Where the ranges of `size` events end, below the gap-safe bound (nothing there may still
 * change): the worker threads' shares of the log. One index-only pass over the positions.
 */
async function rangeEnds(db: Kysely<Database>, size: number): Promise<LogPosition[]> {
  const result = await sql<{ transaction_id: string; global_position: string }>`
    select transaction_id, global_position from (
      select transaction_id::text as transaction_id, global_position::text as global_position,
             row_number() over (order by transaction_id, global_position) as n
      from es_events where transaction_id < ${sql.raw(GAP_SAFE_BOUND)}) s
    where n % ${size} = 0 order by n`.execute(db);
  return result.rows.map((r) => ({ transactionId: r.transaction_id, globalPosition: r.global_position }));
}

/**
 * The events of a page whose predecessor the map cannot give (a stream first seen here past
 * version 1, a map that overflowed, events out of order): their predecessors read back from the
 * log in one query, keyed `stream\0version`.
 */
async function predecessorsFor(
  db: Kysely<Database>,
  page: HashedPage,
  streams: ReadonlyMap<string, StreamState>,
): Promise<Map<string, { version: number; hash: string }>> {
  const inPage = new Map<string, number>();
  const ids: string[] = [];
  const versions: number[] = [];
  for (let i = 0; i < page.streamIds.length; i++) {
    const streamId = page.streamIds[i]!;
    const version = page.versions[i]!;
    const known = inPage.get(streamId) ?? streams.get(streamId)?.version;
    if (version !== 1 && known !== version - 1) {
      ids.push(streamId);
      versions.push(version);
    }
    if (known === undefined || version > known) inPage.set(streamId, version);
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
  thread: MacThread | null,
): Promise<number> {
  let checked = 0;
  const pageSize = Math.max(batch, 2000);
  const readPage = (after: string) => {
    const page = sql<HeadRow>`
      select stream_id, version, last_hash, head_mac from es_streams where stream_id > ${after} order by stream_id limit ${pageSize}`
      .execute(db)
      .then(({ rows }) => {
        // With a MAC thread, the heads' MACs are computed there as soon as the page is in.
        if (!mac || !thread) return { rows, macMatches: null };
        const items = rows.map((h) => headMacSubject(h.stream_id, Number(h.version), h.last_hash));
        const expected = rows.map((h) => h.head_mac) as string[];
        const macMatches = thread.run({ tags: { prefix: MAC_LABELS.head, items, expected } }).then((r) => {
          const matches = new Array<boolean>(rows.length).fill(true);
          for (const i of r.mismatches) matches[i] = false;
          return matches;
        });
        macMatches.catch(() => undefined);
        return { rows, macMatches };
      });
    page.catch(() => undefined);
    return page;
  };
  let next = readPage('');
  for (;;) {
    const page = await next;
    // The next page is read while this one is checked.
    const full = page.rows.length >= pageSize;
    if (full) next = readPage(page.rows[page.rows.length - 1]!.stream_id);
    const unknown = page.rows.filter((h) => !streams.has(h.stream_id)).map((h) => h.stream_id);
    const lastOf = await lastEvents(db, unknown);
    const macMatches = page.macMatches ? await page.macMatches : null;
    const ahead: HeadRow[] = [];
    for (let i = 0; i < page.rows.length; i++) {
      const head = page.rows[i]!;
      const state = streams.get(head.stream_id);
      if (state) state.rowSeen = true;
      const lastEvent = state ?? lastOf.get(head.stream_id) ?? { version: 0, hash: null };
      if (state && Number(head.version) > state.version) ahead.push(head);
      else checked += checkHead(head.stream_id, head, lastEvent, broken, mac, macMatches?.[i]);
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
    if (!full) return checked;
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
  /** Whether the head's MAC matches, when the MAC thread computed it already. */
  macMatches?: boolean,
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
  } else if (mac && !(macMatches ?? head.head_mac === mac.head(streamId, Number(head.version), head.last_hash))) {
    broken.set(streamId, {
      streamId,
      version: Number(head.version),
      eventId: null,
      reason: 'stream head MAC does not match: the head was not written by the service',
    });
  }
  return 1;
}

function xorInto(target: Buffer, other: Uint8Array): void {
  for (let i = 0; i < target.length; i++) target[i]! ^= other[i]!;
}

/** bit(256) as text ('0101…') to 64 hex digits. */
export function bitsToHex(bits: string): string {
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) hex += parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}
