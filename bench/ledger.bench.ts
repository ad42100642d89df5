/**
 * Ledger benchmark: seal a county-year of events (~150,000) into the Merkle tree, sign a head,
 * then run the full audit (audit:verify's algorithm) against that head, in one run.
 *
 *   npm run bench:ledger                    # PostgreSQL: DATABASE_URL, TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test
 *   npm run bench:ledger -- --pglite        # embedded PGlite in memory
 *   npm run bench:ledger -- --events 150000 --stream-events 30
 *
 * Prints figures; asserts nothing about time. Exits non-zero only if the audit of the untouched
 * log is not clean.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { FixedClock } from '../src/application/clock';
import { START } from '../src/application/event-store';
import { auditLedger } from '../src/application/ledger/ledger-audit';
import { LedgerSealer } from '../src/application/ledger/ledger-sealer';
import { generateLedgerKeyPem, ledgerKeyFromPem } from '../src/application/ledger/signing-key';
import { migrateToLatest } from '../src/storage/migrate';
import { openPGlite } from '../src/storage/pglite-database';
import { openPostgres } from '../src/storage/postgres-database';
import type { SqlDatabase } from '../src/storage/sql-database';
import { SqlEventStore } from '../src/storage/sql-event-store';

const { values } = parseArgs({
  options: {
    pglite: { type: 'boolean', default: false },
    events: { type: 'string', default: '150000' },
    'stream-events': { type: 'string', default: '30' },
    batch: { type: 'string', default: '10' },
  },
});
const total = Number(values.events);
const perStream = Number(values['stream-events']);
const batch = Number(values.batch);

const schema = `bench_ledger_${randomBytes(4).toString('hex')}`;
const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const database: SqlDatabase = values.pglite ? await openPGlite() : await openPostgres({ connectionString: url, schema, poolSize: 4 });
const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(2);

try {
  await migrateToLatest(database);
  const store = new SqlEventStore(database, { notify: false });
  console.log(`engine: ${values.pglite ? 'PGlite (memory)' : `PostgreSQL (schema ${schema})`}; ${total} events, ${perStream} per stream, ${batch} per append`);

  let t = performance.now();
  let written = 0;
  const writers = values.pglite ? 1 : 4;
  const streams = Math.ceil(total / perStream);
  let nextStream = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (;;) {
        const s = nextStream++;
        if (s >= streams) return;
        const id = `case-${randomUUID()}`;
        for (let v = 0; v < perStream && written < total; v += batch) {
          const n = Math.min(batch, perStream - v, total - written);
          if (n <= 0) break;
          written += n;
          const events = Array.from({ length: n }, (_, i) => ({
            eventId: randomUUID(),
            type: 'VisitRecorded',
            data: { groupId: randomUUID(), workerId: randomUUID(), on: '2026-03-02', notes: '入户走访，了解家庭收入与就医情况', n: v + i },
            metadata: {
              actorId: 'w-1',
              actorRole: 'village_worker' as const,
              commandId: randomUUID(),
              correlationId: randomUUID(),
              causationId: null,
              recordedAt: '2026-03-02T09:00:00.000Z',
              schemaVersion: 1,
            },
          }));
          await store.append(id, events, v === 0 ? 'no_stream' : v);
        }
      }
    }),
  );
  console.log(`appended ${written} events in ${seconds(t)} s`);

  const key = ledgerKeyFromPem(generateLedgerKeyPem());
  const sealer = new LedgerSealer(key, new FixedClock(new Date('2026-03-02T09:00:00.000Z')), { everyEvents: 1000, everySeconds: 60 });
  t = performance.now();
  let position = START;
  let sealed = 0;
  for (;;) {
    // The projection runner's batch size for the sealer is the engine's (500); 5000 shows the ceiling.
    const page = await store.readAll(position, 5000);
    if (page.events.length === 0) break;
    await database.db.transaction().execute((trx) => sealer.seal(trx, page.events));
    sealed += page.events.length;
    position = page.next;
  }
  const head = (await sealer.sealHead(database.db, true)) ?? (await import('../src/storage/ledger-store')).ledgerStore.latestHead(database.db);
  const heads = Number((await sql<{ n: string }>`select count(*) as n from ledger_heads`.execute(database.db)).rows[0]!.n);
  console.log(`sealed ${sealed} leaves (${heads} signed heads) in ${seconds(t)} s`);

  t = performance.now();
  const cpu = process.cpuUsage();
  const report = await auditLedger({ db: database.db, store, publicKey: key.publicKey, keptHead: await head });
  const used = process.cpuUsage(cpu);
  console.log(
    `audit (tree from the log, sealed leaves, ${heads} heads, every chain, stream rows): ${seconds(t)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s Node CPU — ${report.ok ? 'OK' : 'FAILED'}`,
  );
  console.log(
    `  load average while running: ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${(await import('node:os')).cpus().length} cores`,
  );
  t = performance.now();
  await store.verify();
  console.log(`  of which the per-stream chains (store.verify): ${seconds(t)} s`);
  t = performance.now();
  let read = 0;
  for (let p = START; ;) {
    const page = await store.readAll(p, 5000);
    if (page.events.length === 0) break;
    read += page.events.length;
    p = page.next;
  }
  console.log(`  of which reading the log in global order (readAll, ${read} events): ${seconds(t)} s`);
  if (!report.ok) {
    console.error(report.problems.slice(0, 10).join('\n'));
    process.exitCode = 1;
  }
} finally {
  if (!values.pglite) await sql`drop schema ${sql.raw(schema)} cascade`.execute(database.db).catch(() => undefined);
  await database.close();
}
