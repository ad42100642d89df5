import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pino from 'pino';
import { ProjectionEngine } from '../src/projections/engine';
import { checkpoints } from '../src/storage/checkpoint-store';
import { migrateToLatest } from '../src/storage/migrate';
import { openPostgres } from '../src/storage/postgres-database';
import { openPGlite } from '../src/storage/pglite-database';
import { SqlEventStore, VARIANT } from './_variant-store';
import { createVisitsReadModel, visitsProjection } from './visits-projection';
import { buildWorkload } from './workload';
const N = Number(process.argv[2] ?? 100000);
const pglite = process.argv[3] === 'pglite';
const schema = `bench_${randomBytes(5).toString('hex')}`;
const database = pglite ? await openPGlite() : await openPostgres({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', schema, poolSize: 9 });
try {
  await migrateToLatest(database);
  await createVisitsReadModel(database.db);
  const xid = async () => Number((await sql<{ x: string }>`select pg_current_xact_id()::text as x`.execute(database.db)).rows[0]!.x);
  for (let x = await xid(); x < 1000; x = await xid());
  const store = new SqlEventStore(database);
  const w = buildWorkload({ events: N, writers: 8, batch: 100, streamEvents: 100 });
  await Promise.all(w.perWriter.map(async (l) => { for (const b of l) await store.append(b.streamId, b.events, b.expected || 'no_stream'); }));
  console.log('xid after', await xid());
  await sql`vacuum analyze es_events`.execute(database.db);
  for (const fix of [false, true, false, true]) {
    VARIANT.fixOrder = fix;
    const p = visitsProjection();
    await sql`truncate bench_rm_visits, bench_rm_worker_month`.execute(database.db);
    await sql`delete from es_checkpoints`.execute(database.db);
    await checkpoints.ensure(database.db, p.name);
    const engine = new ProjectionEngine(database, store as any, [p], pino({ level: 'silent' }), { batchSize: 1000 });
    const t = performance.now(); const n = await engine.catchUp(); const s = (performance.now() - t) / 1000;
    console.log(`${pglite ? 'pglite' : 'pg'} order-by ${fix ? 'qualified (fixed)' : 'as in src      '}: ${n} events in ${s.toFixed(2)} s = ${(n / s).toFixed(0)} ev/s`);
  }
} finally {
  if (!pglite) await sql.raw(`drop schema ${schema} cascade`).execute(database.db);
  await database.close();
}
