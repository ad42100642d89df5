import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { leasePostgres, type LentPostgres } from '../support/postgres-pool';
import { postgresUrl } from '../support/test-database';

const url = await postgresUrl();

/**
 * Test databases on PostgreSQL lent from file to file (issue 18): the next file must find the
 * database as the run's template left it, or get a copy of its own.
 */
describe.runIf(url && inject('postgresTemplate'))('test databases on PostgreSQL lent from file to file', () => {
  const lease = () => leasePostgres(url!, inject('postgresTemplate'), inject('testRunId'), {});
  const count = async (database: SqlDatabase, table: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db)).rows[0]!.n;
  const logOneAccess = async (database: SqlDatabase) =>
    (
      await sql<{ seq: string }>`
        insert into privacy_access_log (actor_id, actor_role, at, classes, route, subject_id, subject_kind)
        values ('pool-test', 'admin', now(), '{}', '/pool-test', 'subject', 'household') returning seq::text as seq`.execute(database.db)
    ).rows[0]!.seq;

  /** Lends one database, lets `use` change it, closes it, and lends the next. */
  async function nextAfter(use: (database: LentPostgres) => Promise<void>): Promise<{ first: string; next: LentPostgres }> {
    const first = await lease();
    await use(first);
    await first.close();
    return { first: first.url, next: await lease() };
  }

  it('lends the same database again with the rows, positions and statistics of the template', async () => {
    let firstSeq = '';
    const pristine = await lease();
    const migrations = await count(pristine, 'kysely_migration');
    await pristine.close();
    const { first, next } = await nextAfter(async (database) => {
      firstSeq = await logOneAccess(database);
      await logOneAccess(database);
      await sql`analyze privacy_access_log`.execute(database.db);
      await sql`delete from kysely_migration where name = (select max(name) from kysely_migration)`.execute(database.db);
    });
    try {
      expect(next.url).toBe(first);
      expect(await count(next, 'privacy_access_log')).toBe(0);
      expect(await count(next, 'kysely_migration')).toBe(migrations);
      expect((await sql<{ n: number }>`select count(*)::int as n from pg_stats where tablename = 'privacy_access_log'`.execute(next.db)).rows[0]!.n).toBe(0);
      expect(await logOneAccess(next)).toBe(firstSeq);
    } finally {
      await next.close();
    }
  });

  it('leaves a database whose schema a test changed, or that a session is still on, and lends another', async () => {
    const reopened: SqlDatabase[] = [];
    for (const use of [
      async (database: LentPostgres) => void (await sql`alter table es_events disable trigger es_events_append_only`.execute(database.db)),
      async (database: LentPostgres) => {
        reopened.push(await database.reopen());
        await sql`select 1`.execute(reopened[0]!.db);
      },
    ]) {
      const { first, next } = await nextAfter(use);
      try {
        expect(next.url).not.toBe(first);
        const trigger = await sql<{ enabled: string }>`select tgenabled as enabled from pg_trigger where tgname = 'es_events_append_only'`.execute(next.db);
        expect(trigger.rows).toEqual([{ enabled: 'O' }]);
      } finally {
        await next.close();
      }
    }
    for (const database of reopened) await database.close();
  });
});
