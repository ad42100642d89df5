import type { Database } from './database';
import { sql, type Kysely } from 'kysely';
import type { Snapshot, SnapshotStore } from '../application/snapshots';

/** es_snapshots (migration 0070) on PostgreSQL or PGlite. */
export class SqlSnapshotStore implements SnapshotStore {
  constructor(private readonly db: Kysely<Database>) {}

  async load(streamId: string, key: string): Promise<Snapshot | null> {
    const { rows } = await sql<{ version: string; state: unknown }>`
      select version, state from es_snapshots where stream_id = ${streamId} and snapshot_key = ${key}`.execute(this.db);
    const row = rows[0];
    return row ? { version: Number(row.version), state: row.state } : null;
  }

  async save(streamId: string, key: string, snapshot: Snapshot): Promise<void> {
    await sql`
      insert into es_snapshots (stream_id, snapshot_key, version, state)
      values (${streamId}, ${key}, ${snapshot.version}, ${JSON.stringify(snapshot.state)}::jsonb)
      on conflict (stream_id, snapshot_key) do update
        set version = excluded.version, state = excluded.state, taken_at = now()
        where es_snapshots.version < excluded.version`.execute(this.db);
  }
}
