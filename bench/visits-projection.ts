import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../src/application/event-store';
import type { Projection } from '../src/projections/projection';
import { EVENT_TYPE } from './workload';

/**
 * A realistic async read model for the catch-up phase: one row per visit, plus visits per worker
 * per month (an aggregate upsert). Each batch is two set-based statements (`unnest`), whatever
 * its size, inside the transaction that also moves the checkpoint.
 */
export const VISITS_TABLE = 'bench_rm_visits';
export const WORKER_MONTH_TABLE = 'bench_rm_worker_month';

export async function createVisitsReadModel(db: Kysely<any>): Promise<void> {
  await sql`
    create table ${sql.table(VISITS_TABLE)} (
      visit_id uuid primary key,
      household_stream text not null,
      household_id text not null,
      villager_group_id text not null,
      worker_id text not null,
      kind text not null,
      visited_at timestamptz not null,
      version bigint not null
    )`.execute(db);
  await sql`create index ${sql.raw(`${VISITS_TABLE}_group`)} on ${sql.table(VISITS_TABLE)} (villager_group_id, visited_at)`.execute(db);
  await sql`
    create table ${sql.table(WORKER_MONTH_TABLE)} (
      worker_id text not null,
      month text not null,
      visits integer not null,
      last_visit_at timestamptz not null,
      primary key (worker_id, month)
    )`.execute(db);
}

export function visitsProjection(name = 'bench_visits'): Projection {
  return {
    name,
    mode: 'async',
    handles: [EVENT_TYPE],
    tables: [VISITS_TABLE, WORKER_MONTH_TABLE],
    async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
      const visits = events.filter((e) => e.type === EVENT_TYPE);
      if (visits.length === 0) return;
      const d = visits.map((e) => e.data as Record<string, string>);
      await sql`
        insert into ${sql.table(VISITS_TABLE)}
          (visit_id, household_stream, household_id, villager_group_id, worker_id, kind, visited_at, version)
        select * from unnest(
          ${d.map((x) => x.visitId)}::uuid[],
          ${visits.map((e) => e.streamId)}::text[],
          ${d.map((x) => x.householdId)}::text[],
          ${d.map((x) => x.villagerGroupId)}::text[],
          ${d.map((x) => x.workerId)}::text[],
          ${d.map((x) => x.kind)}::text[],
          ${d.map((x) => x.visitedAt)}::timestamptz[],
          ${visits.map((e) => e.version)}::bigint[])
        on conflict (visit_id) do nothing`.execute(trx);

      // Exactly-once comes from the checkpoint moving in this transaction, so increments are safe.
      const groups = new Map<string, { worker: string; month: string; visits: number; last: string }>();
      for (const x of d) {
        const month = x.visitedAt!.slice(0, 7);
        const key = `${x.workerId}|${month}`;
        const g = groups.get(key);
        if (!g) groups.set(key, { worker: x.workerId!, month, visits: 1, last: x.visitedAt! });
        else {
          g.visits++;
          if (x.visitedAt! > g.last) g.last = x.visitedAt!;
        }
      }
      const rows = [...groups.values()];
      await sql`
        insert into ${sql.table(WORKER_MONTH_TABLE)} (worker_id, month, visits, last_visit_at)
        select * from unnest(
          ${rows.map((r) => r.worker)}::text[],
          ${rows.map((r) => r.month)}::text[],
          ${rows.map((r) => r.visits)}::int[],
          ${rows.map((r) => r.last)}::timestamptz[])
        on conflict (worker_id, month) do update set
          visits = ${sql.table(WORKER_MONTH_TABLE)}.visits + excluded.visits,
          last_visit_at = greatest(${sql.table(WORKER_MONTH_TABLE)}.last_visit_at, excluded.last_visit_at)`.execute(trx);
    },
  };
}
