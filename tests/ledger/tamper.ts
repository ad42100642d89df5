import type { Db } from '../../src/application/db';
import { sql } from 'kysely';
import { canonicalJson, eventHash } from '../../src/application/hash-chain';

/**
 * What a database administrator can do with SQL. The event log may refuse UPDATE/DELETE with
 * triggers (and reference its streams with a foreign key); a DBA switches those off for the
 * session first, so every helper runs inside a transaction that does the same.
 */
export async function asDba(db: Db, work: (trx: Db) => Promise<void>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await sql`alter table es_events disable trigger user`.execute(trx);
    await sql`alter table es_streams disable trigger user`.execute(trx);
    await work(trx);
    await sql`alter table es_events enable trigger user`.execute(trx);
    await sql`alter table es_streams enable trigger user`.execute(trx);
  });
}

/** Copies of the log's tables, to put the log back exactly between tampering cases. */
export async function snapshotLog(db: Db): Promise<void> {
  await sql`create table snap_events as select * from es_events`.execute(db);
  await sql`create table snap_streams as select * from es_streams`.execute(db);
}

export async function restoreLog(db: Db): Promise<void> {
  await asDba(db, async (trx) => {
    await sql`delete from es_events`.execute(trx);
    await sql`delete from es_streams`.execute(trx);
    await sql`insert into es_streams select * from snap_streams`.execute(trx);
    await sql`insert into es_events overriding system value select * from snap_events`.execute(trx);
  });
}

interface Row {
  event_id: string;
  stream_id: string;
  version: string | number;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export async function streamRows(db: Db, streamId: string): Promise<Row[]> {
  return (
    await sql<Row>`select event_id, stream_id, version, type, schema_version, data_jcs::jsonb as data, metadata, prev_hash, hash from es_events where stream_id = ${streamId} order by version`.execute(
      db,
    )
  ).rows;
}

/** The published algorithm, run by the attacker: the hash an event row would have. */
export function recompute(row: Row, prevHash: string): string {
  return eventHash({
    streamId: row.stream_id,
    eventId: row.event_id,
    version: Number(row.version),
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    prevHash,
  });
}

/** Rewrites one event's data and recomputes every later hash of its stream, and the stream row. */
export async function rewriteWithValidHashes(trx: Db, streamId: string, version: number, data: Record<string, unknown>): Promise<void> {
  const rows = await streamRows(trx, streamId);
  let prev = rows[version - 2]?.hash ?? '0'.repeat(64);
  for (const row of rows.slice(version - 1)) {
    if (Number(row.version) === version) row.data = data;
    const hash = recompute(row, prev);
    await sql`update es_events set data_jcs = ${canonicalJson(row.data)}, prev_hash = ${prev}, hash = ${hash} where event_id = ${row.event_id}`.execute(trx);
    prev = hash;
  }
  await sql`update es_streams set last_hash = ${prev} where stream_id = ${streamId}`.execute(trx);
}

/** Appends a forged event to a stream with a correct chain link and hash, and moves the stream row. */
export async function forgeAppend(trx: Db, streamId: string, eventId: string, at?: { transactionId: string }): Promise<void> {
  const rows = await streamRows(trx, streamId);
  const last = rows[rows.length - 1]!;
  const version = Number(last.version) + 1;
  const metadata = { ...last.metadata, commandId: eventId, recordedAt: '2026-03-02T09:30:00.000Z' };
  const row: Row = { ...last, event_id: eventId, version, data: { forged: true }, metadata, prev_hash: last.hash, hash: '' };
  row.hash = recompute(row, last.hash);
  await sql`
    insert into es_events (event_id, stream_id, version, type, schema_version, data, metadata, recorded_at, prev_hash, hash, mac${at ? sql`, transaction_id` : sql``})
    values (${eventId}, ${streamId}, ${version}, ${row.type}, ${row.schema_version}, ${JSON.stringify(row.data)}::jsonb, ${JSON.stringify(metadata)}::jsonb,
            ${metadata.recordedAt}::timestamptz, ${row.prev_hash}, ${row.hash}, ${'0'.repeat(64)}${at ? sql`, ${at.transactionId}::bigint` : sql``})`.execute(
    trx,
  );
  await sql`update es_streams set version = ${version}, last_hash = ${row.hash} where stream_id = ${streamId}`.execute(trx);
}

/** Swaps two events' places in the global order (their transaction ids and positions). */
export async function swapGlobalOrder(trx: Db, eventA: string, eventB: string): Promise<void> {
  await sql`create temp table swap_rows on commit drop as select * from es_events where event_id in (${eventA}, ${eventB})`.execute(trx);
  await sql`
    update swap_rows s set transaction_id = o.transaction_id, global_position = o.global_position
    from swap_rows o where o.event_id <> s.event_id`.execute(trx);
  await sql`delete from es_events where event_id in (${eventA}, ${eventB})`.execute(trx);
  await sql`insert into es_events overriding system value select * from swap_rows`.execute(trx);
}
