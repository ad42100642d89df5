import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from './database';
import { assertSafeIdentifier } from './sql-database';

/**
 * A second generation of some read-model tables, built beside the live ones and switched in
 * (blue/green, as Marten's rebuilds do). The shadow lives in a schema of its own with tables of
 * the same names, columns, constraints and index names; code that writes the read model runs
 * unchanged against it under `search_path = shadow, live` (tables it does not own still resolve
 * to the live schema). The switch moves the live tables out and the shadow ones in: two renames
 * per table in one short transaction, however many rows were built.
 */
export class ShadowTables {
  /** Definitions of the indexes `indexesLater` left for `buildIndexes`, on the shadow. */
  private readonly later: string[] = [];

  private constructor(
    private readonly live: string,
    readonly schema: string,
    private readonly tables: readonly string[],
    private readonly indexesLater: boolean,
  ) {}

  /**
   * Empty copies of `tables` (columns, defaults, checks, keys and indexes under their names) in a
   * new schema. `indexesLater`: the indexes that neither refuse a row nor arbitrate an upsert
   * (not unique) are built by `buildIndexes` once the rows are in, as a bulk load does: kept up
   * row by row they were 42 % of the households' rebuild at county scale (the name search's GIN
   * index alone a quarter), built after it a tenth of that.
   */
  static async create(
    db: Kysely<Database>,
    live: string,
    tables: readonly string[],
    label: string,
    options: { indexesLater?: boolean } = {},
  ): Promise<ShadowTables> {
    // A fresh name per build: two builds (two processes, a crash's leftover) never share one.
    const schema = assertSafeIdentifier(`${live}__${label.replace(/[^a-z0-9_]/gi, '_').slice(0, 24)}_${randomBytes(4).toString('hex')}`.toLowerCase());
    const shadow = new ShadowTables(assertSafeIdentifier(live), schema, tables.map(assertSafeIdentifier), options.indexesLater === true);
    await db.transaction().execute(async (trx) => {
      await sql`create schema ${sql.id(schema)}`.execute(trx);
      for (const table of shadow.tables) await shadow.copyTable(trx, table);
    });
    return shadow;
  }

  private async copyTable(db: Kysely<Database>, table: string): Promise<void> {
    const live = sql.id(this.live, table);
    const copy = sql.id(this.schema, table);
    await sql`create table ${copy} (like ${live} including all excluding indexes)`.execute(db);
    // Keys and indexes under their live names (a later migration may name them): the schema differs.
    const constraints = await sql<{ name: string; definition: string }>`
      select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
      where conrelid = ${`${this.live}.${table}`}::regclass and contype in ('p', 'u', 'x') order by conname`.execute(db);
    for (const c of constraints.rows) await sql`alter table ${copy} add constraint ${sql.id(c.name)} ${sql.raw(c.definition)}`.execute(db);
    const indexes = await sql<{ definition: string; unique: boolean }>`
      select pg_get_indexdef(i.indexrelid) as definition, i.indisunique as unique from pg_index i
      where i.indrelid = ${`${this.live}.${table}`}::regclass
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = i.indrelid)
      order by i.indexrelid`.execute(db);
    for (const { definition, unique } of indexes.rows) {
      const onShadow = definition.replace(/ ON (ONLY )?\S+ USING /, ` ON ${this.schema}.${table} USING `);
      if (onShadow === definition) throw new Error(`cannot copy the index of ${table}: ${definition}`);
      if (this.indexesLater && !unique) this.later.push(onShadow);
      else await sql.raw(onShadow).execute(db);
    }
  }

  /** The indexes `create` left for later (`indexesLater`), built on the rows now in the shadow. */
  async buildIndexes(db: Kysely<Database>): Promise<void> {
    for (const definition of this.later.splice(0)) await sql.raw(definition).execute(db);
  }

  /** Inside `trx`, unqualified names of the shadow's tables mean the shadow (until the transaction ends). */
  async use(trx: Kysely<Database>): Promise<void> {
    await sql`select set_config('search_path', ${`${this.schema}, ${this.live}`}, true)`.execute(trx);
  }

  /**
   * `use`, for a transaction that writes only the shadow: its commit does not wait for the WAL's
   * flush. A crash can lose such a commit, and nothing with it: a shadow is never read before its
   * switch (which commits as usual), and a build that did not finish is never switched in.
   * `reading`: shadows built beside this one whose tables it reads instead of the live ones (a
   * projection that reads the rows another wrote for the same event, rebuilt with it).
   */
  async useForBuild(trx: Kysely<Database>, reading: readonly ShadowTables[] = []): Promise<void> {
    const path = [this.schema, ...reading.map((other) => other.schema), this.live].join(', ');
    await sql`select set_config('search_path', ${path}, true), set_config('synchronous_commit', 'off', true)`.execute(trx);
  }

  /** Hold writers and readers of the live tables off until the caller's transaction ends. */
  async lockLive(trx: Kysely<Database>): Promise<void> {
    await sql`lock table ${sql.join(this.tables.map((t) => sql.id(this.live, t)))} in access exclusive mode`.execute(trx);
  }

  /**
   * Move the live tables out and the shadow in, then drop the old generation, in the caller's
   * transaction: readers and writers of these tables wait only for this transaction's end.
   */
  async switchIn(trx: Kysely<Database>): Promise<void> {
    const old = assertSafeIdentifier(`${this.schema}_old`);
    await sql`create schema ${sql.id(old)}`.execute(trx);
    for (const table of this.tables) {
      await sql`alter table ${sql.id(this.live, table)} set schema ${sql.id(old)}`.execute(trx);
      await sql`alter table ${sql.id(this.schema, table)} set schema ${sql.id(this.live)}`.execute(trx);
    }
    await sql`drop schema ${sql.id(old)} cascade`.execute(trx);
    await sql`drop schema ${sql.id(this.schema)} cascade`.execute(trx);
    await sql`select set_config('search_path', ${this.live}, true)`.execute(trx);
  }

  /** A build that failed or lost the race: its tables go, the live ones were never touched. */
  async discard(db: Kysely<Database>): Promise<void> {
    await sql`drop schema if exists ${sql.id(this.schema)} cascade`.execute(db);
  }
}
