import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { migrateToLatest } from '../src/storage/migrate';
import { openPostgres } from '../src/storage/postgres-database';
import { SqlEventStore, VARIANT } from './_variant-store';
import { buildWorkload, plainRows } from './workload';
const N = Number(process.argv[2] ?? 30000);
const variants: [string, Partial<typeof VARIANT>][] = [
  ['original', {}],
  ['slim RETURNING', { slimReturning: true }],
  ['no findStored', { skipFindStored: true }],
  ['no normalise', { skipNormalise: true }],
  ['no hash', { skipHash: true }],
  ['no notify', { skipNotify: true }],
  ['slim+noFind+noNorm', { slimReturning: true, skipFindStored: true, skipNormalise: true }],
  ['all off', { slimReturning: true, skipFindStored: true, skipNormalise: true, skipHash: true, skipNotify: true }],
  ['original', {}],
];
for (const [name, v] of variants) {
  Object.assign(VARIANT, { slimReturning: false, skipFindStored: false, skipHash: false, skipNormalise: false, skipNotify: false }, v);
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const database = await openPostgres({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', schema, poolSize: 9 });
  try {
    await migrateToLatest(database);
    const store = new SqlEventStore(database);
    const w = buildWorkload({ events: N, writers: 8, batch: 100, streamEvents: 100 });
    const warm = buildWorkload({ events: 1600, writers: 8, batch: 100, streamEvents: 100 });
    await Promise.all(warm.perWriter.map(async (l) => { for (const b of l) await store.append(b.streamId, b.events, 'no_stream'); }));
    await sql`checkpoint`.execute(database.db);
    const c0 = process.cpuUsage(); const t = performance.now();
    await Promise.all(w.perWriter.map(async (l) => { for (const b of l) await store.append(b.streamId, b.events, b.expected || 'no_stream'); }));
    const s = (performance.now() - t) / 1000; const c = process.cpuUsage(c0);
    console.log(`${name.padEnd(22)} ${(N / s).toFixed(0).padStart(7)} ev/s  node CPU ${(((c.user + c.system) / 1e3) / N * 1000).toFixed(1)} µs/event`);
  } finally {
    await sql.raw(`drop schema ${schema} cascade`).execute(database.db);
    await database.close();
  }
}
void plainRows;
