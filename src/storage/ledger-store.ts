import type { Database } from './database';
import { sql, type Kysely } from 'kysely';
import type { TreeHead } from '../application/ledger/tree-head';
import type { VerifiedHead } from '../application/ledger/ledger-run';

/** One sealed leaf: the event at a position of the ledger's tree. */
export interface LedgerLeaf {
  leafIndex: number;
  eventId: string;
  streamId: string;
  version: number;
  eventHash: string;
}

export interface LedgerNode {
  level: number;
  index: number;
  hash: Buffer;
}

const toLeaf = (r: { leaf_index: string | number; event_id: string; stream_id: string; version: string | number; event_hash: string }): LedgerLeaf => ({
  leafIndex: Number(r.leaf_index),
  eventId: r.event_id,
  streamId: r.stream_id,
  version: Number(r.version),
  eventHash: r.event_hash,
});

const toHead = (r: { head: TreeHead | string }): TreeHead => (typeof r.head === 'string' ? (JSON.parse(r.head) as TreeHead) : r.head);

/** Stable 63-bit advisory key: the sealer and the head timer take it so one of them writes at a time. */
export const LEDGER_LOCK = '7310420165108231111';

/** SQL for the ledger tables; every function takes the database or a transaction first. */
export const ledgerStore = {
  async lock(trx: Kysely<Database>): Promise<void> {
    await sql`select pg_advisory_xact_lock(${LEDGER_LOCK}::bigint)`.execute(trx);
  },

  /** Number of sealed leaves (= the size of the tree the sealer has built). */
  async sealedSize(db: Kysely<Database>): Promise<number> {
    const r = await sql<{ n: string | number | null }>`select max(leaf_index) + 1 as n from ledger_leaves`.execute(db);
    return Number(r.rows[0]?.n ?? 0);
  },

  async nodes(db: Kysely<Database>, wanted: ReadonlyArray<{ level: number; index: number }>): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    if (wanted.length === 0) return out;
    const r = await sql<{ level: number; idx: string | number; hash: string }>`
      select level, idx, encode(hash, 'hex') as hash from ledger_nodes
      where (level, idx) in (select * from unnest(${wanted.map((w) => w.level)}::smallint[], ${wanted.map((w) => String(w.index))}::bigint[]))`.execute(db);
    for (const row of r.rows) out.set(`${row.level}:${Number(row.idx)}`, Buffer.from(row.hash, 'hex'));
    return out;
  },

  async append(trx: Kysely<Database>, leaves: readonly LedgerLeaf[], nodes: readonly LedgerNode[]): Promise<void> {
    for (let i = 0; i < leaves.length; i += 2000) {
      const chunk = leaves.slice(i, i + 2000);
      await sql`
        insert into ledger_leaves (leaf_index, event_id, stream_id, version, event_hash)
        select * from unnest(${chunk.map((l) => String(l.leafIndex))}::bigint[], ${chunk.map((l) => l.eventId)}::uuid[], ${chunk.map((l) => l.streamId)}::text[],
                             ${chunk.map((l) => String(l.version))}::bigint[], ${chunk.map((l) => l.eventHash)}::text[])`.execute(trx);
    }
    for (let i = 0; i < nodes.length; i += 2000) {
      const chunk = nodes.slice(i, i + 2000);
      await sql`
        insert into ledger_nodes (level, idx, hash)
        select level, idx, decode(hash, 'hex') from unnest(${chunk.map((n) => n.level)}::smallint[], ${chunk.map((n) => String(n.index))}::bigint[], ${chunk.map((n) => n.hash.toString('hex'))}::text[]) as t(level, idx, hash)`.execute(
        trx,
      );
    }
  },

  async leafOfEvent(db: Kysely<Database>, eventId: string): Promise<LedgerLeaf | null> {
    const row = await db
      .selectFrom('ledger_leaves')
      .select(['leaf_index', 'event_id', 'stream_id', 'version', 'event_hash'])
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    return row ? toLeaf(row) : null;
  },

  /** Leaves [from, from + limit) in tree order. */
  async leaves(db: Kysely<Database>, from: number, limit: number): Promise<LedgerLeaf[]> {
    const rows = await db
      .selectFrom('ledger_leaves')
      .select(['leaf_index', 'event_id', 'stream_id', 'version', 'event_hash'])
      .where('leaf_index', '>=', String(from))
      .orderBy('leaf_index')
      .limit(limit)
      .execute();
    return rows.map(toLeaf);
  },

  async insertHead(trx: Kysely<Database>, head: TreeHead): Promise<boolean> {
    const r = await sql`
      insert into ledger_heads (tree_size, root_hash, signed_at, head) values (${String(head.treeSize)}::bigint, ${head.rootHash}, ${head.timestamp}::timestamptz, ${JSON.stringify(head)}::jsonb)
      on conflict (tree_size) do nothing`.execute(trx);
    return Number(r.numAffectedRows ?? 0n) === 1;
  },

  async latestHead(db: Kysely<Database>): Promise<TreeHead | null> {
    const r = await sql<{ head: TreeHead }>`select head from ledger_heads order by tree_size desc limit 1`.execute(db);
    return r.rows[0] ? toHead(r.rows[0]) : null;
  },

  async headAtSize(db: Kysely<Database>, treeSize: number): Promise<TreeHead | null> {
    const r = await sql<{ head: TreeHead }>`select head from ledger_heads where tree_size = ${String(treeSize)}::bigint`.execute(db);
    return r.rows[0] ? toHead(r.rows[0]) : null;
  },

  /** Heads signed in [from, to), oldest first, after the tree size `after` (keyset paging). */
  async headsBetween(db: Kysely<Database>, range: { from?: string; to?: string; after?: number; limit: number }): Promise<TreeHead[]> {
    const r = await sql<{ head: TreeHead }>`
      select head from ledger_heads
      where true
        ${range.from ? sql`and signed_at >= ${range.from}::timestamptz` : sql``}
        ${range.to ? sql`and signed_at < ${range.to}::timestamptz` : sql``}
        ${range.after !== undefined ? sql`and tree_size > ${String(range.after)}::bigint` : sql``}
      order by tree_size limit ${range.limit}`.execute(db);
    return r.rows.map(toHead);
  },

  async allHeads(db: Kysely<Database>): Promise<TreeHead[]> {
    const r = await sql<{ head: TreeHead }>`select head from ledger_heads order by tree_size`.execute(db);
    return r.rows.map(toHead);
  },

  /** The highest head an audit run re-derived from the log, at most `maxSize` leaves. */
  async lastVerifiedHead(db: Kysely<Database>, maxSize: number): Promise<VerifiedHead | null> {
    const row = await db
      .selectFrom('audit_verified_heads')
      .select(['tree_size', 'root_hash', 'log_position', 'frontier', 'run_id', 'verified_at'])
      .where('tree_size', '<=', String(maxSize))
      .orderBy('tree_size', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return null;
    const frontier = (typeof row.frontier === 'string' ? JSON.parse(row.frontier) : row.frontier) as Array<string | null>;
    return {
      treeSize: Number(row.tree_size),
      rootHash: row.root_hash,
      logPosition: row.log_position,
      frontier,
      runId: row.run_id,
      verifiedAt: new Date(row.verified_at).toISOString(),
    };
  },

  async recordVerifiedHead(db: Kysely<Database>, head: Omit<VerifiedHead, 'verifiedAt'>): Promise<void> {
    await sql`
      insert into audit_verified_heads (tree_size, root_hash, log_position, frontier, run_id)
      values (${String(head.treeSize)}::bigint, ${head.rootHash}, ${head.logPosition}, ${JSON.stringify(head.frontier)}::jsonb, ${head.runId}::uuid)
      on conflict (tree_size) do update set root_hash = excluded.root_hash, log_position = excluded.log_position, frontier = excluded.frontier,
        run_id = excluded.run_id, verified_at = now()`.execute(db);
  },
};
