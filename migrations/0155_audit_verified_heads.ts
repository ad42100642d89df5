import { sql, type Kysely } from 'kysely';

/**
 * Where an incremental ledger verify may start (issue 20): every signed head an audit run
 * re-derived from the log, with the log position of its last leaf and the right edge of its tree
 * (one complete subtree per set bit of the size). Nothing here is trusted on its own: a later run
 * checks the edge against the head's signed root before it continues from it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_verified_heads (
      tree_size bigint primary key,
      root_hash text not null,
      log_position text not null,
      frontier jsonb not null,
      run_id uuid not null,
      verified_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_verified_heads`.execute(db);
}
