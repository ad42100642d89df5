import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START } from '../../src/application/event-store';
import { migrateToLatest } from '../../src/storage/migrate';
import { openPostgres } from '../../src/storage/postgres-database';
import { rebasePositionsAfterRestore } from '../../src/storage/restore-positions';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { newTestSchema, postgresUrl } from '../support/test-database';
import { eventually } from '../support/wait';

const url = await postgresUrl();

/** The grants README.md recommends, for a schema other than public. */
const grants = (schema: string, role: string) => [
  `grant usage on schema ${schema} to ${role}`,
  `grant select, insert, update, delete on all tables in schema ${schema} to ${role}`,
  `revoke update, delete, truncate on ${schema}.es_events from ${role}`,
  `revoke delete, truncate on ${schema}.es_streams, ${schema}.es_mac_shards from ${role}`,
  `revoke insert, update, delete, truncate on ${schema}.es_position_base from ${role}`,
];

describe.skipIf(!url)('the service under the least-privilege role README.md describes (PostgreSQL)', () => {
  const schema = newTestSchema();
  const role = `svc_${randomBytes(4).toString('hex')}`;
  let owner: SqlDatabase;
  let service: SqlDatabase;

  beforeAll(async () => {
    owner = await openPostgres({ connectionString: url!, schema, poolSize: 2 });
    await migrateToLatest(owner);
    await sql.raw(`create role ${role} login`).execute(owner.db);
    for (const g of grants(schema, role)) await sql.raw(g).execute(owner.db);
    const asRole = new URL(url!);
    asRole.username = role;
    asRole.password = '';
    service = await openPostgres({ connectionString: asRole.toString(), schema, poolSize: 2 });
  });
  afterAll(async () => {
    await service?.close();
    await sql
      .raw(`drop owned by ${role}`)
      .execute(owner.db)
      .catch(() => undefined);
    await sql
      .raw(`drop role if exists ${role}`)
      .execute(owner.db)
      .catch(() => undefined);
    await owner?.close();
  });

  it('appends, reads, verifies and checks for a restore, and is refused any rewrite of the log', async () => {
    const store = new SqlEventStore(service);
    await store.append('lp-1', [newEvent('A'), newEvent('B')], 'no_stream');
    await store.append('lp-1', [newEvent('C')], 2);
    // Gap-safe: another session's open transaction on the shared server may hold the read back a moment.
    await eventually(async () => expect((await store.readAll(START, 10)).events.map((e) => e.type)).toEqual(['A', 'B', 'C']));
    expect((await store.verify()).broken).toEqual([]);
    expect(await rebasePositionsAfterRestore(service)).toBe(0); // the start-up probe needs no more than SELECT
    await expect(sql`update es_events set data = '{}'::jsonb`.execute(service.db)).rejects.toThrow(/permission denied/);
    await expect(sql`delete from es_streams`.execute(service.db)).rejects.toThrow(/permission denied/);
    await expect(sql`update es_position_base set base = base + 1`.execute(service.db)).rejects.toThrow(/permission denied/);
    await expect(sql`alter table es_events disable trigger es_events_append_only`.execute(service.db)).rejects.toThrow(/must be owner/);
  });
});
