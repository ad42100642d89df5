import { sql, type Kysely } from 'kysely';

/**
 * The ledger: one Merkle tree (RFC 9162) over the whole log in its gap-safe global order.
 * Leaves map tree positions to events; nodes hold every complete subtree (level 0 = the leaf
 * hashes), so any root or proof is a fold of O(log² n) stored nodes; heads are the signed tree
 * heads. The signing key is not here: these rows are evidence only together with a signature.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ledger_leaves (
      leaf_index bigint primary key,
      event_id uuid not null unique,
      stream_id text not null,
      version bigint not null,
      event_hash text not null,
      sealed_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table ledger_nodes (
      level smallint not null,
      idx bigint not null,
      hash bytea not null,
      primary key (level, idx)
    )`.execute(db);
  await sql`
    create table ledger_heads (
      tree_size bigint primary key,
      root_hash text not null,
      signed_at timestamptz not null,
      head jsonb not null
    )`.execute(db);
  await sql`create index ledger_heads_signed_at on ledger_heads (signed_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table ledger_heads`.execute(db);
  await sql`drop table ledger_nodes`.execute(db);
  await sql`drop table ledger_leaves`.execute(db);
}
