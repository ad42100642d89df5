import { readFileSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPGlite } from '../../src/storage/pglite-database';
import { preparedStatements } from '../../src/storage/pglite-statements.mjs';

// Each PGlite starts from the run's data dir right after initdb (global-setup.ts): an initdb of
// its own is seconds of CPU.
const emptyCluster = () => new Blob([readFileSync(inject('pgliteEmptyTemplate'))]);

// PGlite's data statements run as prepared statements, one trip into the engine each (issue 15):
// the answers must be those of PGlite's own `query`, through schema changes and errors alike.
describe('prepared statements on PGlite', () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create({ loadDataDir: emptyCluster(), parsers: { [types.INT8]: (v: string) => v, [types.DATE]: (v: string) => v } });
    await pglite.exec(`
      create table t (id bigserial primary key, name text unique, born date, at timestamptz, doc jsonb,
        tags text[], n numeric, ok boolean, raw bytea, counts int[]);`);
  });
  afterAll(async () => {
    await pglite.close();
  });

  it('answers every type as PGlite`s own query does, on the first run and on later ones', async () => {
    const statements = preparedStatements(pglite);
    const insert = 'insert into t (name, born, at, doc, tags, n, ok, raw, counts) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *';
    const values = [
      '甲',
      '2023-06-08',
      new Date('2023-06-08T01:02:03.456Z'),
      { a: [1, 'x'], b: null },
      ['x', 'y,z'],
      '12.50',
      true,
      new Uint8Array([0, 255]),
      [1, 2],
    ];
    const first = await statements.query(insert, values);
    const second = await statements.query(insert, ['乙', ...values.slice(1)]);
    const byQuery = await pglite.query(insert, ['丙', ...values.slice(1)]);
    const strip = (row: unknown) => ({ ...(row as Record<string, unknown>), id: 0, name: '' });
    expect(first.rows.map(strip)).toEqual(byQuery.rows.map(strip));
    expect(second.rows.map(strip)).toEqual(byQuery.rows.map(strip));
    expect(first.affectedRows).toBe(1);
    const select = 'select id, name, born, doc, n from t where name = any($1) order by id';
    expect((await statements.query(select, [['甲', '丙']])).rows).toEqual((await pglite.query(select, [['甲', '丙']])).rows);
    const update = await statements.query('update t set ok = $1 where name <> $2', [false, '甲']);
    expect(update).toEqual({ rows: [], affectedRows: 2 });
  });

  it('raises the database`s error with its code and constraint, and the transaction stays aborted', async () => {
    const statements = preparedStatements(pglite);
    await statements.query('insert into t (name) values ($1)', ['唯一']);
    const duplicate = await statements.query('insert into t (name) values ($1)', ['唯一']).catch((e: unknown) => e);
    expect(duplicate).toMatchObject({ code: '23505', constraint: 't_name_key' });
    expect(await statements.query('select count(*)::int as c from t where name = $1', ['唯一'])).toMatchObject({ rows: [{ c: 1 }] });

    await statements.query('begin');
    await statements.query('insert into t (name) values ($1)', ['回滚']);
    await expect(statements.query('insert into t (name) values ($1)', ['唯一'])).rejects.toMatchObject({ code: '23505' });
    await expect(statements.query('select 1 as one', [])).rejects.toMatchObject({ code: '25P02' });
    await statements.query('rollback');
    expect((await statements.query('select count(*)::int as c from t where name = $1', ['回滚'])).rows).toEqual([{ c: 0 }]);
    await expect(statements.query('selec nothing')).rejects.toMatchObject({ code: '42601' });
  });

  it('sees a table`s new columns after a schema change, and another schema under another search_path', async () => {
    const statements = preparedStatements(pglite);
    await statements.query('create table c (id int primary key)');
    await statements.query('insert into c values ($1)', [1]);
    expect((await statements.query('select * from c', [])).rows).toEqual([{ id: 1 }]);
    await statements.query('alter table c add column label text');
    expect((await statements.query('select * from c', [])).rows).toEqual([{ id: 1, label: null }]);
    // A change made around the cache (another caller on the instance): the stale plan is prepared again.
    await pglite.exec('alter table c add column extra int');
    expect((await statements.query('select * from c', [])).rows).toEqual([{ id: 1, label: null, extra: null }]);

    // The shadow tables' way (shadow-tables.ts): the same text reads the shadow's table inside its transaction.
    await statements.query('create schema shadow');
    await statements.query('create table shadow.c (id int primary key)');
    await statements.query('insert into shadow.c values ($1)', [2]);
    await statements.query('begin');
    await statements.query(`select set_config('search_path', $1, true)`, ['shadow, public']);
    expect((await statements.query('select id from c', [])).rows).toEqual([{ id: 2 }]);
    await statements.query('commit');
    expect((await statements.query('select id from c', [])).rows).toEqual([{ id: 1 }]);
  });

  it('keeps a bounded number of statements and still answers the ones it closed', async () => {
    const prepared = async () => (await pglite.query<{ n: number }>(`select count(*)::int as n from pg_prepared_statements`)).rows[0]!.n;
    const before = await prepared();
    const statements = preparedStatements(pglite, { max: 3 });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 6; i++) expect((await statements.query(`select $1::int + ${i} as v`, [10])).rows).toEqual([{ v: 10 + i }]);
    }
    expect((await prepared()) - before).toBe(3);
  });

  it('delivers notifications raised by its statements', async () => {
    const statements = preparedStatements(pglite);
    const heard: string[] = [];
    await pglite.listen('ping', (payload) => heard.push(payload));
    await statements.query(`select pg_notify('ping', $1)`, ['one']);
    await statements.query('begin');
    await statements.query(`select pg_notify('ping', $1)`, ['two']);
    await statements.query('commit');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heard).toEqual(['one', 'two']);
  });
});

describe('openPGlite runs its queries through them on either thread', () => {
  for (const thread of ['worker', 'main'] as const) {
    it(`${thread}: rows, errors and transactions as before`, async () => {
      const database = await openPGlite({ thread, loadDataDir: emptyCluster() });
      try {
        await sql`create table w (id int primary key, doc jsonb)`.execute(database.db);
        await database.db.transaction().execute(async (trx) => {
          await sql`insert into w values (${1}, ${JSON.stringify({ k: 'v' })}::jsonb)`.execute(trx);
        });
        expect((await sql<{ id: number; doc: unknown }>`select id, doc from w where id = ${1}`.execute(database.db)).rows).toEqual([
          { id: 1, doc: { k: 'v' } },
        ]);
        await expect(sql`insert into w values (${1}, null)`.execute(database.db)).rejects.toMatchObject({ code: '23505', constraint: 'w_pkey' });
        await expect(
          database.db.transaction().execute(async (trx) => {
            await sql`insert into w values (${2}, null)`.execute(trx);
            throw new Error('undo');
          }),
        ).rejects.toThrow('undo');
        expect((await sql<{ n: number }>`select count(*)::int as n from w`.execute(database.db)).rows).toEqual([{ n: 1 }]);
      } finally {
        await database.close();
      }
    });
  }
});
