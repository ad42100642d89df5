import { sql } from 'kysely';
import type { Db } from '../src/application/db';
import type { RecordedEvent } from '../src/application/event-store';
import type { Projection } from '../src/projections/projection';

interface VisitData {
  visitId: string;
  workerId: string;
  householdId: string | null;
  date: string;
  kind: string;
  peopleServed: number;
}

/**
 * A realistic async read model for the catch-up phase: one row per visit, plus visits and people
 * served per worker per month (an aggregate upsert). Each batch is two set-based statements
 * (`unnest`), whatever its size, inside the transaction that also moves the checkpoint.
 */
export const VISITS_TABLE = 'bench_rm_visits';
export const WORKER_MONTH_TABLE = 'bench_rm_worker_month';

export async function createVisitsReadModel(db: Db): Promise<void> {
  await sql`
    create table ${sql.table(VISITS_TABLE)} (
      visit_id uuid primary key,
      household_stream text not null,
      household_id uuid,
      worker_id uuid not null,
      kind text not null,
      visit_date date not null,
      people_served integer not null,
      version bigint not null
    )`.execute(db);
  await sql`create index ${sql.raw(`${VISITS_TABLE}_household`)} on ${sql.table(VISITS_TABLE)} (household_id, visit_date)`.execute(db);
  await sql`
    create table ${sql.table(WORKER_MONTH_TABLE)} (
      worker_id uuid not null,
      month text not null,
      visits integer not null,
      people_served integer not null,
      last_visit_date date not null,
      primary key (worker_id, month)
    )`.execute(db);
}

export function visitsProjection(eventType: string, name = 'bench_visits'): Projection {
  return {
    name,
    mode: 'async',
    handles: [eventType],
    tables: [VISITS_TABLE, WORKER_MONTH_TABLE],
    async apply(trx: Db, events: readonly RecordedEvent[]) {
      const visits = events.filter((e) => e.type === eventType);
      if (visits.length === 0) return;
      const d = visits.map((e) => e.data as unknown as VisitData);
      await sql`
        insert into ${sql.table(VISITS_TABLE)}
          (visit_id, household_stream, household_id, worker_id, kind, visit_date, people_served, version)
        select * from unnest(
          ${d.map((x) => x.visitId)}::uuid[],
          ${visits.map((e) => e.streamId)}::text[],
          ${d.map((x) => x.householdId)}::uuid[],
          ${d.map((x) => x.workerId)}::uuid[],
          ${d.map((x) => x.kind)}::text[],
          ${d.map((x) => x.date)}::date[],
          ${d.map((x) => x.peopleServed)}::int[],
          ${visits.map((e) => e.version)}::bigint[])
        on conflict (visit_id) do nothing`.execute(trx);

      // Exactly-once comes from the checkpoint moving in this transaction, so increments are safe.
      const groups = new Map<string, { worker: string; month: string; visits: number; people: number; last: string }>();
      for (const x of d) {
        const month = x.date.slice(0, 7);
        const key = `${x.workerId}|${month}`;
        const g = groups.get(key);
        if (!g) groups.set(key, { worker: x.workerId, month, visits: 1, people: x.peopleServed, last: x.date });
        else {
          g.visits++;
          g.people += x.peopleServed;
          if (x.date > g.last) g.last = x.date;
        }
      }
      const rows = [...groups.values()];
      await sql`
        insert into ${sql.table(WORKER_MONTH_TABLE)} (worker_id, month, visits, people_served, last_visit_date)
        select * from unnest(
          ${rows.map((r) => r.worker)}::uuid[],
          ${rows.map((r) => r.month)}::text[],
          ${rows.map((r) => r.visits)}::int[],
          ${rows.map((r) => r.people)}::int[],
          ${rows.map((r) => r.last)}::date[])
        on conflict (worker_id, month) do update set
          visits = ${sql.table(WORKER_MONTH_TABLE)}.visits + excluded.visits,
          people_served = ${sql.table(WORKER_MONTH_TABLE)}.people_served + excluded.people_served,
          last_visit_date = greatest(${sql.table(WORKER_MONTH_TABLE)}.last_visit_date, excluded.last_visit_date)`.execute(trx);
    },
  };
}
