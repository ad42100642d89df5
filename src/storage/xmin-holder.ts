import { sql } from 'kysely';
import type { SqlDatabase } from './sql-database';

/**
 * A session of pg_stat_activity whose open transaction keeps newer events invisible to the
 * gap-safe reader (in any database of the server: transaction ids are cluster-wide). No query
 * text: it may quote personal data.
 */
export interface HoldingTransaction {
  pid: number;
  database: string | null;
  user: string | null;
  applicationName: string | null;
  state: string | null;
  transactionStartedAt: string | null;
  stateChangedAt: string | null;
  backendXid: string | null;
  backendXmin: string | null;
}

interface ActivityRow {
  pid: number;
  datname: string | null;
  usename: string | null;
  application_name: string | null;
  state: string | null;
  xact_start: Date | string | null;
  state_change: Date | string | null;
  backend_xid: string | null;
  backend_xmin: string | null;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/**
 * The oldest transaction on the server that holds the snapshot xmin back, where the database
 * can tell: readAll returns only events below pg_snapshot_xmin(pg_current_snapshot()), which is
 * the oldest running transaction id (backend_xid); sessions that only hold an old snapshot
 * (backend_xmin) come after them. Without pg_read_all_stats, other users' sessions show no
 * transaction ids and are not found. PGlite has one session: nothing else can hold it.
 */
export async function oldestHoldingTransaction(database: SqlDatabase): Promise<HoldingTransaction | null> {
  if (database.kind !== 'postgres') return null;
  const { rows } = await sql<ActivityRow>`
    select pid, datname, usename, application_name, state, xact_start, state_change,
           backend_xid::text as backend_xid, backend_xmin::text as backend_xmin
      from pg_stat_activity
     where pid <> pg_backend_pid() and (backend_xid is not null or backend_xmin is not null)
     order by (backend_xid is null), age(coalesce(backend_xid, backend_xmin)) desc
     limit 1`.execute(database.db);
  const row = rows[0];
  if (!row) return null;
  return {
    pid: Number(row.pid),
    database: row.datname,
    user: row.usename,
    applicationName: row.application_name,
    state: row.state,
    transactionStartedAt: iso(row.xact_start),
    stateChangedAt: iso(row.state_change),
    backendXid: row.backend_xid,
    backendXmin: row.backend_xmin,
  };
}
