/**
 * Putting a test database back as the migrated template left it, so that the next test file can
 * have it (issue 18; pglite-pool.ts and postgres-pool.ts lend them). "As the template left it" is
 * checked, not hoped for: a database whose schema is no longer the template's (a tampering test
 * drops a trigger, a test makes a table or sets a session setting) is refused, and the caller
 * closes or drops it instead. Otherwise: every table that holds a row is truncated, the rows the
 * migrations wrote are put back, the sequences set where they were and the planner statistics of
 * the rows that are gone forgotten.
 */

/** One statement on the database being reset, its rows back. */
export type Query = <R>(text: string, params?: unknown[]) => Promise<R[]>;

export interface Pristine {
  fingerprint: string;
  /** The tables the migrations left rows in, with those rows. */
  rows: ReadonlyArray<{ table: string; json: string }>;
  sequences: ReadonlyArray<{ name: string; value: string | null; start: string }>;
  tables: readonly string[];
}

/**
 * What a fingerprint covers beyond the schema. PGlite is a cluster of its own: its roles and its
 * one session's settings belong to the database lent. On a PostgreSQL server roles are the
 * server's (other files make them at the same time), and sessions end with the file.
 */
export interface FingerprintScope {
  rolesAndSession: boolean;
}

/** The database as the template left it: call on a database just copied from the template. */
export async function pristineOf(query: Query, scope: FingerprintScope): Promise<Pristine> {
  const tables = (await query<{ name: string }>(TABLES)).map((row) => row.name);
  const rows: Array<{ table: string; json: string }> = [];
  for (const table of await nonEmpty(query, tables))
    rows.push({ table, json: (await query<{ json: string }>(`select json_agg(t)::text as json from ${table} t`))[0]!.json });
  const sequences = await query<{ name: string; value: string | null; start: string }>(SEQUENCES);
  return { fingerprint: await fingerprintOf(query, scope), rows, sequences, tables };
}

/** Puts the database back as the template left it; false when it cannot be (the caller drops it). */
export async function resetTo(query: Query, pristine: Pristine, scope: FingerprintScope): Promise<boolean> {
  try {
    // A transaction left open (PGlite's one session): its database object is closed, so none of its statements can follow.
    await query(`rollback`);
    if ((await fingerprintOf(query, scope)) !== pristine.fingerprint) return false;
    const dirty = new Set([...(await nonEmpty(query, pristine.tables)), ...pristine.rows.map((row) => row.table)]);
    // Replica role (a superuser's): the log's append-only triggers and the foreign keys' checks do not fire.
    await query(`set session_replication_role = replica`);
    await query(`truncate ${[...dirty].join(', ')} restart identity cascade`);
    for (const { table, json } of pristine.rows)
      await query(`insert into ${table} overriding system value select * from json_populate_recordset(null::${table}, $1::json)`, [json]);
    for (const { name, value, start } of pristine.sequences) await query(`select setval($1::regclass, $2::bigint, $3)`, [name, value ?? start, value !== null]);
    await query(`reset session_replication_role`);
    // What ANALYZE learnt of the rows that are gone (the template has none): the import tests look for it.
    await query(`delete from pg_statistic where starelid in (select c.oid from pg_class c where c.relnamespace in (${USER_NAMESPACES}))`);
    await query(`select pg_stat_reset()`);
    return true;
  } catch {
    return false;
  }
}

async function nonEmpty(query: Query, tables: readonly string[]): Promise<string[]> {
  const probe = tables.map((table, i) => `select ${i} as i where exists (select from ${table})`).join(' union all ');
  return (await query<{ i: number }>(probe)).map((row) => tables[row.i]!);
}

async function fingerprintOf(query: Query, scope: FingerprintScope): Promise<string> {
  const items = scope.rolesAndSession ? `${FINGERPRINT} union all ${ROLES_AND_SESSION}` : FINGERPRINT;
  const sql = `select md5(string_agg(item, E'\\n' order by item)) as fingerprint from (${items}) as catalog(item)`;
  return (await query<{ fingerprint: string }>(sql))[0]!.fingerprint;
}

const USER_NAMESPACES = `select oid from pg_namespace where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_%'`;

/** Every table of the user schemas, quoted. */
const TABLES = `select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p') and n.oid in (${USER_NAMESPACES}) order by 1`;

const SEQUENCES = `select format('%I.%I', schemaname, sequencename) as name, last_value::text as value, start_value::text as start from pg_sequences`;

/** What a test could change besides rows that the next file would see: the schema and the database's settings. */
const FINGERPRINT = `select 'namespace ' || nspname from pg_namespace
  union all select format('relation %s %s %s %s %s', c.oid::regclass, c.relkind, c.relacl, c.relrowsecurity, c.relforcerowsecurity)
    from pg_class c where c.relnamespace in (${USER_NAMESPACES})
  union all select format('view %s %s', c.oid::regclass, pg_get_viewdef(c.oid))
    from pg_class c where c.relkind in ('v', 'm') and c.relnamespace in (${USER_NAMESPACES})
  union all select format('column %s.%s %s %s %s', a.attrelid::regclass, a.attname, a.atttypid, a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
    from pg_attribute a join pg_class c on c.oid = a.attrelid left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attnum > 0 and not a.attisdropped and c.relnamespace in (${USER_NAMESPACES})
  union all select format('trigger %s.%s %s', t.tgrelid::regclass, t.tgname, t.tgenabled) from pg_trigger t
  union all select format('function %s %s', p.oid::regprocedure, md5(p.prosrc)) from pg_proc p where p.pronamespace in (${USER_NAMESPACES})
  union all select format('constraint %s.%s %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) from pg_constraint c
    where c.connamespace in (${USER_NAMESPACES})
  union all select format('index %s %s', i.indexrelid::regclass, i.indisvalid) from pg_index i join pg_class c on c.oid = i.indexrelid
    where c.relnamespace in (${USER_NAMESPACES})
  union all select format('policy %s.%s', p.polrelid::regclass, p.polname) from pg_policy p
  union all select format('publication %s', p.pubname) from pg_publication p
  union all select format('database setting %s %s', s.setrole, s.setconfig) from pg_db_role_setting s
    where s.setdatabase in (0, (select oid from pg_database where datname = current_database()))
  union all select format('extension %s %s', e.extname, e.extversion) from pg_extension e`;

const ROLES_AND_SESSION = `select format('role %s %s %s', r.rolname, r.rolsuper, r.rolcanlogin) from pg_roles r
  union all select format('session setting %s=%s', name, setting) from pg_settings where source = 'session'`;
