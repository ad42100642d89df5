import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/storage/migrate';
import { openPostgres } from '../../src/storage/postgres-database';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { postgresUrl } from '../support/test-database';

// Prepared statements live in a server session: only PostgreSQL has them (PGlite runs the text).
const url = await postgresUrl();

describe.skipIf(!url)('append statements on PostgreSQL', () => {
  const opened: SqlDatabase[] = [];
  afterAll(async () => {
    for (const database of opened) await database.close();
  });

  /** One connection, so the session we ask is the one the appends ran on. */
  async function open(preparedStatements: boolean): Promise<SqlDatabase> {
    const database = await openPostgres({ connectionString: url!, schema: `t_${randomBytes(6).toString('hex')}`, poolSize: 1, preparedStatements });
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
