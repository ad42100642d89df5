import { describe, expect, it } from 'vitest';
import { postgresUrl } from '../support/test-database';
import { dropRunDatabases, newRunId, testDatabaseName, withAdminClient } from '../support/test-run';

const url = await postgresUrl();

/** The end of a run drops every database the run made (several at once), and no other run's. */
describe.runIf(url)('the test run`s databases on PostgreSQL', () => {
  it('drops all of its own databases at the end of the run, and keeps another run`s', async () => {
    const [ours, theirs] = [newRunId(), newRunId()];
    const mine = Array.from({ length: 11 }, () => testDatabaseName(url!, ours));
    const other = testDatabaseName(url!, theirs);
    const exist = (names: string[]) =>
      withAdminClient(url!, async (client) =>
        (await client.query<{ datname: string }>('select datname from pg_database where datname = any($1)', [names])).rows.map((row) => row.datname).sort(),
      );
    await withAdminClient(url!, async (client) => {
      for (const name of [...mine, other]) await client.query(`create database ${name}`);
    });
    try {
      expect(await exist([...mine, other])).toEqual([...mine, other].sort());
      await dropRunDatabases(url!, ours);
      expect(await exist([...mine, other])).toEqual([other]);
    } finally {
      await dropRunDatabases(url!, theirs);
    }
  });
});
