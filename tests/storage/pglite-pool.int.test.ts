import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { leasePGlite, pglitePoolStats } from '../support/pglite-pool';

/**
 * The test PGlites lent from file to file (issue 18): the next file must find the database as the
 * migrated template left it, or get a PGlite of its own.
 */
const template = () => ({ loadDataDir: new Blob([readFileSync(inject('pgliteMigratedTemplate'))]) });

/** One row in a table whose key is an identity column (the privacy access log's `seq`). */
async function logOneAccess(database: SqlDatabase): Promise<string> {
  const row = await sql<{ seq: string }>`
    insert into privacy_access_log (actor_id, actor_role, at, classes, route, subject_id, subject_kind)
    values ('pool-test', 'admin', now(), '{}', '/pool-test', 'subject', 'household')
    returning seq::text as seq`.execute(database.db);
  return row.rows[0]!.seq;
}

async function count(database: SqlDatabase, table: string): Promise<number> {
  return (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db)).rows[0]!.n;
}

/** Lends one database, lets `use` change it, closes it, and says whether the same PGlite was lent next. */
async function lentAgainAfter(use: (database: SqlDatabase) => Promise<void>): Promise<{ sameNext: boolean; next: SqlDatabase }> {
  const first = await leasePGlite(template);
  await use(first);
  const before = { ...pglitePoolStats };
  await first.close();
  const next = await leasePGlite(template);
  return { sameNext: pglitePoolStats.putBack === before.putBack + 1 && pglitePoolStats.opened === before.opened, next };
}

describe('test PGlites lent from file to file', () => {
  it('gives the next opener the same PGlite with the rows, positions and migration records of the template', async () => {
    const statistics = async (database: SqlDatabase) =>
      (await sql<{ n: number }>`select count(*)::int as n from pg_stats where schemaname = 'public'`.execute(database.db)).rows[0]!.n;
    const [migrations, pristineStatistics] = await (async () => {
      const probe = await leasePGlite(template);
      const found = [await count(probe, 'kysely_migration'), await statistics(probe)] as const;
      await probe.close();
      return found;
    })();
    expect(migrations).toBeGreaterThan(0);

    let firstSeq = '';
    const { sameNext, next } = await lentAgainAfter(async (database) => {
      firstSeq = await logOneAccess(database);
      await logOneAccess(database);
      await sql`analyze privacy_access_log`.execute(database.db);
      expect(await statistics(database)).toBeGreaterThan(pristineStatistics);
      await sql`delete from kysely_migration where name = (select max(name) from kysely_migration)`.execute(database.db);
    });
    try {
      expect(sameNext).toBe(true);
      expect(await count(next, 'privacy_access_log')).toBe(0);
      expect(await count(next, 'kysely_migration')).toBe(migrations);
      // What ANALYZE learnt of the rows that are gone is gone with them (the import tests look for it).
      expect(await statistics(next)).toBe(pristineStatistics);
      // The identity starts again where the template's did.
      expect(await logOneAccess(next)).toBe(firstSeq);
    } finally {
      await next.close();
    }
  });

  it('closes a PGlite whose schema a test changed (a trigger disabled) and lends a new one', async () => {
    const { sameNext, next } = await lentAgainAfter(async (database) => {
      await sql`alter table es_events disable trigger es_events_append_only`.execute(database.db);
    });
    try {
      expect(sameNext).toBe(false);
      const trigger = await sql<{ enabled: string }>`select tgenabled as enabled from pg_trigger where tgname = 'es_events_append_only'`.execute(next.db);
      expect(trigger.rows).toEqual([{ enabled: 'O' }]);
    } finally {
      await next.close();
    }
  });

  it('closes a PGlite left with a session setting', async () => {
    const { sameNext, next } = await lentAgainAfter(async (database) => {
      await sql`set statement_timeout = '1234ms'`.execute(database.db);
    });
    try {
      expect(sameNext).toBe(false);
      expect((await sql<{ statement_timeout: string }>`show statement_timeout`.execute(next.db)).rows[0]!.statement_timeout).toBe('0');
    } finally {
      await next.close();
    }
  });

  it('rolls back a transaction left open, and lends the PGlite outside any transaction', async () => {
    const { sameNext, next } = await lentAgainAfter(async (database) => {
      await sql`begin`.execute(database.db);
      await logOneAccess(database);
    });
    try {
      expect(sameNext).toBe(true);
      expect(await count(next, 'privacy_access_log')).toBe(0);
      // A savepoint outside a transaction block is refused (25P01 no_active_sql_transaction).
      await expect(sql`savepoint probe`.execute(next.db)).rejects.toMatchObject({ code: '25P01' });
    } finally {
      await next.close();
    }
  });

  it('refuses statements through a database once it is closed', async () => {
    const database = await leasePGlite(template);
    await database.close();
    await expect(sql`select 1`.execute(database.db)).rejects.toThrow();
  });
});
