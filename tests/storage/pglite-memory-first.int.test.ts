import { existsSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openPGlite } from '../../src/storage/pglite-database';
import { eventually } from '../support/wait';

/**
 * Issue 15: the demo county's load into an empty data dir runs in memory (memoryFirst) and is
 * written there once, by persist() or close(); a data dir that holds a database opens on disk.
 */
const root = mkdtempSync(join(tmpdir(), 'sws-memory-first-'));
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const count = async (db: Awaited<ReturnType<typeof openPGlite>>) =>
  Number((await sql<{ n: string }>`select count(*) as n from t`.execute(db.db)).rows[0]!.n);

describe.each(['worker', 'main'] as const)('a memoryFirst PGlite (%s thread)', (thread) => {
  it(
    'writes nothing to an empty data dir until persist, then carries on there with its listeners',
    async () => {
      const dataDir = join(root, `${thread}-persist`);
      const db = await openPGlite({ dataDir, thread, memoryFirst: true });
      try {
        await sql`create table t (id int primary key)`.execute(db.db);
        await sql`insert into t values (1), (2)`.execute(db.db);
        expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
        let notified = 0;
        await db.listen('wake', () => notified++);

        await db.persist!();
        expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
        // The same database, now on disk: reads, writes and notifications go on.
        await sql`insert into t values (3)`.execute(db.db);
        expect(await count(db)).toBe(3);
        await sql`select pg_notify('wake', '')`.execute(db.db);
        await eventually(() => expect(notified).toBeGreaterThan(0));
        await db.persist!(); // once on disk, a no-op
      } finally {
        await db.close();
      }
      const reopened = await openPGlite({ dataDir, thread });
      try {
        expect(await count(reopened)).toBe(3);
      } finally {
        await reopened.close();
      }
    },
    120_000,
  );

  it(
    'writes what it holds when closed before persist, and opens a data dir that holds a database on disk',
    async () => {
      const dataDir = join(root, `${thread}-close`);
      const first = await openPGlite({ dataDir, thread, memoryFirst: true });
      await sql`create table t (id int primary key)`.execute(first.db);
      await sql`insert into t values (1)`.execute(first.db);
      await first.close();
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

      const again = await openPGlite({ dataDir, thread, memoryFirst: true });
      try {
        await sql`insert into t values (2)`.execute(again.db);
        expect(await count(again)).toBe(2);
      } finally {
        await again.close();
      }
    },
    120_000,
  );
});
