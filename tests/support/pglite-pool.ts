import { pgliteDatabaseOver, startPGlite, type PGliteOptions } from '../../src/storage/pglite-database';
import type { PGliteHandle } from '../../src/storage/pglite-thread';
import type { SqlDatabase } from '../../src/storage/sql-database';

/**
 * Test PGlites lent from file to file (issue 18). Opening one from the migrated template costs
 * about 1.2 s of CPU in its worker thread (the thread, the WASM backend's start, the 44 MB tarball
 * into its memory file system): a third of `npm test`'s CPU on the embedded store. A closed test
 * database is instead put back here as the template left it and lent to the next opener of the
 * same worker process (the tiers that share one module graph per worker: vitest.config.ts).
 *
 * "As the template left it" is checked, not hoped for. Given back, a PGlite is
 * - closed instead when its schema is not the template's: a fingerprint of the catalog (tables,
 *   columns, indexes, triggers and whether they fire, functions, constraints, roles, session
 *   settings) taken when it first opened and again now; a tampering test that drops a trigger or
 *   a test that sets a session setting leaves nothing behind;
 * - closed instead when a task ran in its thread (it may still be writing);
 * - else emptied: a transaction left open is rolled back, every table that holds a row is
 *   truncated, the rows the migrations wrote are put back, the sequences set where they were and
 *   the planner statistics of the rows that are gone forgotten.
 */

interface Pristine {
  fingerprint: string;
  /** The tables the migrations left rows in, with those rows. */
  rows: ReadonlyArray<{ table: string; json: string }>;
  sequences: ReadonlyArray<{ name: string; value: string | null; start: string }>;
  tables: readonly string[];
}

interface Pooled {
  handle: PGliteHandle;
  pristine: Pristine;
}

const idle: Pooled[] = [];

/** How the pool has done in this worker process: PGlites opened, put back for the next file, and closed instead. */
export const pglitePoolStats = { opened: 0, putBack: 0, closed: 0 };

/** A database lent from the pool, or a new PGlite opened from the template and pooled on close. */
export async function leasePGlite(options: () => PGliteOptions): Promise<SqlDatabase> {
  const pooled = idle.pop() ?? (await openPooled(options()));
  let threadUsed = false;
  const unlisteners = new Set<() => Promise<void>>();
  let given = false;
  // As a closed PGlite does: a statement sent after close (a loop the test left running) fails
  // rather than reaching the next file's database.
  const open = () => {
    if (given) throw new Error('this test database is closed');
  };
  const handle: PGliteHandle = {
    ...pooled.handle,
    query(text, params) {
      open();
      return pooled.handle.query(text, params);
    },
    dumpDataDir() {
      open();
      return pooled.handle.dumpDataDir();
    },
    async listen(channel, onNotify) {
      open();
      const unlisten = await pooled.handle.listen(channel, onNotify);
      unlisteners.add(unlisten);
      return async () => {
        unlisteners.delete(unlisten);
        await unlisten();
      };
    },
    ...(pooled.handle.thread
      ? {
          thread: {
            run(module, data) {
              open();
              threadUsed = true;
              return pooled.handle.thread!.run(module, data);
            },
            preload: (module) => pooled.handle.thread!.preload(module),
          },
        }
      : {}),
  };
  return pgliteDatabaseOver(handle, async () => {
    if (given) return;
    given = true;
    for (const unlisten of unlisteners) await unlisten();
    if (!threadUsed && (await emptied(pooled))) {
      pglitePoolStats.putBack += 1;
      idle.push(pooled);
    } else {
      pglitePoolStats.closed += 1;
      await pooled.handle.close();
    }
  });
}

async function openPooled(options: PGliteOptions): Promise<Pooled> {
  const handle = await startPGlite(options);
  pglitePoolStats.opened += 1;
  try {
    return { handle, pristine: await pristineOf(handle) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function query<R>(handle: PGliteHandle, text: string, params: unknown[] = []): Promise<R[]> {
  return (await handle.query<R>(text, params)).rows;
}

async function pristineOf(handle: PGliteHandle): Promise<Pristine> {
  try {
    const tables = (await query<{ name: string }>(handle, TABLES)).map((row) => row.name);
    const rows: Array<{ table: string; json: string }> = [];
    for (const table of await nonEmpty(handle, tables))
      rows.push({ table, json: (await query<{ json: string }>(handle, `select json_agg(t)::text as json from ${table} t`))[0]!.json });
    const sequences = await query<{ name: string; value: string | null; start: string }>(handle, SEQUENCES);
    return { fingerprint: await fingerprintOf(handle), rows, sequences, tables };
  } finally {
    handle.endSession?.();
  }
}

/** Puts the pooled PGlite back as the template left it; false when it cannot be (then it is closed). */
async function emptied({ handle, pristine }: Pooled): Promise<boolean> {
  try {
    // A transaction the test left open: its Kysely is gone and this handle refuses its statements.
    await query(handle, `rollback`);
    if ((await fingerprintOf(handle)) !== pristine.fingerprint) return false;
    const dirty = new Set([...(await nonEmpty(handle, pristine.tables)), ...pristine.rows.map((row) => row.table)]);
    // Replica role: the log's append-only triggers and the foreign keys' checks do not fire.
    await query(handle, `set session_replication_role = replica`);
    await query(handle, `truncate ${[...dirty].join(', ')} restart identity cascade`);
    for (const { table, json } of pristine.rows)
      await query(handle, `insert into ${table} overriding system value select * from json_populate_recordset(null::${table}, $1::json)`, [json]);
    for (const { name, value, start } of pristine.sequences)
      await query(handle, `select setval($1::regclass, $2::bigint, $3)`, [name, value ?? start, value !== null]);
    await query(handle, `reset session_replication_role`);
    // What ANALYZE learnt of the rows that are gone (the template has none): an import test looks for it.
    await query(handle, `delete from pg_statistic where starelid in (select c.oid from pg_class c where c.relnamespace in (${USER_NAMESPACES}))`);
    await query(handle, `select pg_stat_reset()`);
    return true;
  } catch {
    return false;
  } finally {
    handle.endSession?.();
  }
}

async function nonEmpty(handle: PGliteHandle, tables: readonly string[]): Promise<string[]> {
  const probe = tables.map((table, i) => `select ${i} as i where exists (select from ${table})`).join(' union all ');
  return (await query<{ i: number }>(handle, probe)).map((row) => tables[row.i]!);
}

const USER_NAMESPACES = `select oid from pg_namespace where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_%'`;

/** Every table of the user schemas, quoted. */
const TABLES = `select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%' order by 1`;

const SEQUENCES = `select format('%I.%I', schemaname, sequencename) as name, last_value::text as value, start_value::text as start from pg_sequences`;

async function fingerprintOf(handle: PGliteHandle): Promise<string> {
  return (await query<{ fingerprint: string }>(handle, FINGERPRINT))[0]!.fingerprint;
}

/** What a test could change besides rows that the next file would see: the schema, roles and session settings. */
const FINGERPRINT = `with user_namespaces as (
    select oid from pg_namespace where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_%'
  )
  select md5(string_agg(item, E'\\n' order by item)) as fingerprint from (
    select 'namespace ' || nspname from pg_namespace
    union all select format('relation %s %s %s %s %s', c.oid::regclass, c.relkind, c.relacl, c.relrowsecurity, c.relforcerowsecurity)
      from pg_class c where c.relnamespace in (select oid from user_namespaces)
    union all select format('view %s %s', c.oid::regclass, pg_get_viewdef(c.oid))
      from pg_class c where c.relkind in ('v', 'm') and c.relnamespace in (select oid from user_namespaces)
    union all select format('column %s.%s %s %s %s', a.attrelid::regclass, a.attname, a.atttypid, a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
      from pg_attribute a join pg_class c on c.oid = a.attrelid left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attnum > 0 and not a.attisdropped and c.relnamespace in (select oid from user_namespaces)
    union all select format('trigger %s.%s %s', t.tgrelid::regclass, t.tgname, t.tgenabled) from pg_trigger t
    union all select format('function %s %s', p.oid::regprocedure, md5(p.prosrc)) from pg_proc p where p.pronamespace in (select oid from user_namespaces)
    union all select format('constraint %s.%s %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) from pg_constraint c
      where c.connamespace in (select oid from user_namespaces)
    union all select format('index %s %s', i.indexrelid::regclass, i.indisvalid) from pg_index i join pg_class c on c.oid = i.indexrelid
      where c.relnamespace in (select oid from user_namespaces)
    union all select format('policy %s.%s', p.polrelid::regclass, p.polname) from pg_policy p
    union all select format('role %s %s %s', r.rolname, r.rolsuper, r.rolcanlogin) from pg_roles r
    union all select format('database setting %s %s', s.setrole, s.setconfig) from pg_db_role_setting s
    union all select format('extension %s %s', e.extname, e.extversion) from pg_extension e
    union all select format('session setting %s=%s', name, setting) from pg_settings where source = 'session'
  ) as catalog(item)`;
