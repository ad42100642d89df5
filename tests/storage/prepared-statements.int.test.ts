import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/storage/migrate';
import { openPostgres } from '../../src/storage/postgres-database';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { newTestSchema, postgresUrl } from '../support/test-database';

// Prepared statements live in a server session: only PostgreSQL has them (PGlite runs the text).
const url = await postgresUrl();

describe.skipIf(!url)('append statements on PostgreSQL', () => {
  const opened: SqlDatabase[] = [];
  afterAll(async () => {
    for (const database of opened) await database.close();
  });

  /** One connection, so the session we ask is the one the appends ran on. */
  async function open(preparedStatements: boolean): Promise<SqlDatabase> {
    const database = await openPostgres({ connectionString: url!, schema: newTestSchema(), poolSize: 1, preparedStatements });
    opened.push(database);
    await migrateToLatest(database);
    return database;
  }

  async function appendStatements(database: SqlDatabase): Promise<string[]> {
    const rows = await sql<{ name: string }>`select name from pg_prepared_statements where name like 'es_%' order by name`.execute(database.db);
    return rows.rows.map((r) => r.name);
  }

  it('are prepared once per connection and size, then reused', async () => {
    const database = await open(true);
    const store = new SqlEventStore(database);
    await store.append('s-1', [newEvent('A'), newEvent('B')], 'no_stream');
    await store.append('s-2', [newEvent('A'), newEvent('B')], 'no_stream');
    await store.append('s-1', [newEvent('C')], 2);
    // A second store (another process) has no cached head: it reads it first.
    await new SqlEventStore(database).append('s-1', [newEvent('D')], 3);
    expect(await appendStatements(database)).toEqual(['es_append_move_1', 'es_append_new_2', 'es_stream_head']);
    expect((await store.readStream('s-1')).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('come in a few sizes only, the batch padded up to the next one, so a session holds a few MB of plans', async () => {
    const database = await open(true);
    const store = new SqlEventStore(database);
    for (let size = 1; size <= 130; size++) {
      const result = await store.append(
        `sized-${size}`,
        Array.from({ length: size }, (_, i) => newEvent('Sized', { i })),
        'no_stream',
      );
      expect(result.events).toHaveLength(size);
    }
    // 129 and 130 events are over the largest prepared size: they ran as plain queries.
    expect(await appendStatements(database)).toEqual(['1', '128', '16', '2', '3', '32', '4', '5', '6', '64', '7', '8'].map((n) => `es_append_new_${n}`));
    const counts = await sql<{ stream_id: string; n: string }>`select stream_id, count(*) as n from es_events group by stream_id`.execute(database.db);
    expect(counts.rows).toHaveLength(130);
    expect(counts.rows.every((r) => Number(r.n) === Number(r.stream_id.slice('sized-'.length)))).toBe(true);
    expect((await store.verify()).broken).toEqual([]);
  });

  it('survive a session that lost them (DEALLOCATE, a pooler): the connection is replaced and the append goes through once', async () => {
    const database = await open(true);
    const store = new SqlEventStore(database);
    await store.append('s-1', [newEvent('A')], 'no_stream');
    await sql`deallocate all`.execute(database.db);
    const result = await store.append('s-2', [newEvent('A')], 'no_stream');
    expect(result.version).toBe(1);
    expect(await sql<{ n: string }>`select count(*) as n from es_events`.execute(database.db).then((r) => Number(r.rows[0]!.n))).toBe(2);
    expect(await appendStatements(database)).toEqual(['es_append_new_1']);
  });

  it('are sent as plain queries when turned off (for poolers that cannot keep them)', async () => {
    const database = await open(false);
    const store = new SqlEventStore(database);
    await store.append('s-1', [newEvent('A')], 'no_stream');
    await new SqlEventStore(database).append('s-1', [newEvent('B')], 1);
    expect(await appendStatements(database)).toEqual([]);
    expect((await store.verify()).broken).toEqual([]);
    expect((await store.readStream('s-1')).map((e) => e.version)).toEqual([1, 2]);
  });
});
