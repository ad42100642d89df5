import { sql, type Kysely } from 'kysely';

/** How many accumulator rows appends spread over (see es_mac_shards below). */
export const MAC_SHARDS = 64;

/**
 * The event log's own integrity (issue 12):
 *
 * - Positions that survive a logical restore. `transaction_id` becomes a bigint commit key:
 *   the writing transaction's xid plus a base kept in `es_position_base`. A dump restored into a
 *   fresh cluster (whose xid counter is lower) would otherwise hide every row above the new
 *   counter from the gap-safe reader; raising the base once after the restore
 *   (es_rebase_positions(), run at every start) puts new keys above every restored one.
 * - Refusal of what the append path never does: UPDATE, DELETE and TRUNCATE on the log,
 *   DELETE and TRUNCATE on stream heads and accumulators, a head moving backwards. A migration
 *   that really must rewrite rows says so with `set local es.allow_rewrite = '<why>'`.
 * - A foreign key from every event to its stream row.
 * - MAC columns (keyed by a secret the database does not hold): one per event, one per stream
 *   head, and per-shard XOR accumulators of a second MAC of every event, so that whole streams
 *   deleted with SQL show up even though nothing names them any more.
 * - recorded_at must be a finite instant; heads remember the last one so the store can keep
 *   each stream's clock moving forward.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table es_position_base (
      id boolean primary key default true check (id),
      base bigint not null default 0
    )`.execute(db);
  await sql`insert into es_position_base (id, base) values (true, 0)`.execute(db);
  // VOLATILE: evaluated per row with a fresh snapshot, so a rebase committed before this
  // statement ran is always seen.
  await sql`
    create function es_commit_key() returns bigint language sql volatile as
    $$ select pg_current_xact_id()::text::bigint + (select base from es_position_base) $$`.execute(db);
  await sql`alter table es_events alter column transaction_id drop default`.execute(db);
  await sql`alter table es_events alter column transaction_id type bigint using transaction_id::text::bigint`.execute(db);
  await sql`alter table es_events alter column transaction_id set default es_commit_key()`.execute(db);

  // Raises the base when stored keys reach past what this cluster's xids would give: only after
  // a logical restore. The exclusive lock waits for in-flight appends and holds new ones back, so
  // every key drawn afterwards lies above every stored one.
  await sql`
    create function es_rebase_positions() returns bigint language plpgsql as $$
    declare
      top bigint;
      horizon bigint;
      current_base bigint;
    begin
      lock table es_events in exclusive mode;
      select base into current_base from es_position_base for update;
      select max(transaction_id) into top from es_events;
      horizon := pg_snapshot_xmax(pg_current_snapshot())::text::bigint;
      if top is null or top < horizon + current_base then
        return 0;
      end if;
      update es_position_base set base = top - horizon + 1;
      return top - horizon + 1 - current_base;
    end $$`.execute(db);

  await sql`alter table es_events add column mac text not null`.execute(db);
  await sql`alter table es_events add constraint es_events_recorded_at_finite check (isfinite(recorded_at))`.execute(db);
  await sql`alter table es_streams add column last_recorded_at timestamptz`.execute(db);
  await sql`alter table es_streams add column head_mac text`.execute(db);
  await sql`alter table es_events add constraint es_events_stream_fk foreign key (stream_id) references es_streams (stream_id)`.execute(db);

  await sql`
    create table es_mac_shards (
      shard integer primary key,
      events bigint not null default 0,
      acc bit(256) not null default repeat('0', 256)::bit(256)
    )`.execute(db);
  await sql`insert into es_mac_shards (shard) select generate_series(0, ${sql.lit(MAC_SHARDS - 1)})`.execute(db);

  await sql`
    create function es_refuse_rewrite() returns trigger language plpgsql as $$
    begin
      if coalesce(current_setting('es.allow_rewrite', true), '') <> '' then
        return case when tg_level = 'ROW' then coalesce(new, old) else null end;
      end if;
      if tg_level = 'ROW' and tg_op = 'UPDATE' and tg_table_name = 'es_streams' then
        if new.stream_id = old.stream_id and new.version >= old.version then return new; end if;
        raise exception 'es_streams: a stream head only moves forward (stream %, version % -> %)', old.stream_id, old.version, new.version
          using errcode = 'P0001', hint = 'the event log is append-only';
      end if;
      if tg_level = 'ROW' and tg_op = 'UPDATE' and tg_table_name = 'es_position_base' then
        if new.base >= old.base then return new; end if;
      end if;
      raise exception '% on % refused: the event log is append-only', tg_op, tg_table_name
        using errcode = 'P0001', hint = 'a migration that must rewrite rows runs set local es.allow_rewrite = ''<reason>''';
    end $$`.execute(db);

  await sql`create trigger es_events_append_only before update or delete or truncate on es_events for each statement execute function es_refuse_rewrite()`.execute(
    db,
  );
  await sql`create trigger es_streams_no_delete before delete or truncate on es_streams for each statement execute function es_refuse_rewrite()`.execute(db);
  await sql`create trigger es_streams_forward_only before update on es_streams for each row execute function es_refuse_rewrite()`.execute(db);
  await sql`create trigger es_mac_shards_no_delete before delete or truncate on es_mac_shards for each statement execute function es_refuse_rewrite()`.execute(
    db,
  );
  await sql`create trigger es_position_base_no_delete before delete or truncate on es_position_base for each statement execute function es_refuse_rewrite()`.execute(
    db,
  );
  await sql`create trigger es_position_base_forward_only before update on es_position_base for each row execute function es_refuse_rewrite()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Explicitly allowed: the rewrite below drops what up() added.
  await sql`set local es.allow_rewrite = 'migration 0030 down'`.execute(db);
  for (const t of ['es_events_append_only', 'es_streams_no_delete', 'es_streams_forward_only']) {
    await sql`drop trigger ${sql.raw(t)} on ${sql.raw(t.startsWith('es_events') ? 'es_events' : 'es_streams')}`.execute(db);
  }
  await sql`drop table es_mac_shards`.execute(db);
  await sql`drop table es_position_base cascade`.execute(db);
  await sql`alter table es_events drop constraint es_events_stream_fk`.execute(db);
  await sql`alter table es_streams drop column head_mac, drop column last_recorded_at`.execute(db);
  await sql`alter table es_events drop constraint es_events_recorded_at_finite, drop column mac`.execute(db);
  await sql`alter table es_events alter column transaction_id drop default`.execute(db);
  await sql`alter table es_events alter column transaction_id type xid8 using transaction_id::text::xid8`.execute(db);
  await sql`alter table es_events alter column transaction_id set default pg_current_xact_id()`.execute(db);
  await sql`drop function es_rebase_positions()`.execute(db);
  await sql`drop function es_commit_key()`.execute(db);
  await sql`drop function es_refuse_rewrite()`.execute(db);
}
