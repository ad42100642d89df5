/**
 * The whole-log verify over an existing database (issue 20: a county-year < 5 s on PostgreSQL):
 * wall and CPU time (process.cpuUsage: every thread of this process) of the chain verify (what
 * GET /api/v1/audit/verify and the `chains` audit run do, MACs checked) and of the ledger audit
 * (what `npm run audit:verify` does against the latest stored head), with the verify on the calling
 * thread (threads 1) and spread over worker threads.
 *
 *   DATABASE_URL=postgres://… DATA_DIR=… npx tsx bench/verify.bench.ts [--threads 1,2] [--ledger] [--rounds 1] [--seed N] [--batch 500] [--single] [--rows]
 *
 * On the calling thread (threads 1) the pages are read by binary COPY on AUDIT_VERIFY_READERS
 * connections at once and the MACs computed on a MAC thread; --rows also times, right after, the
 * same split reads with the pages as rows (the path before issue 20's session 13), --single one
 * connection with the MACs on the calling thread (the path before session 12), each with its
 * ratio. "main thread" is the CPU of the calling thread alone (Linux), "CPU" that of every thread.
 *
 * --seed N first appends N VisitRecorded-shaped events (bench/workload.ts) to an empty, migrated
 * database, two to a stream (a county has about 1.3), MACs under DATA_DIR's key: a log of a
 * county's size when no seeded county is at hand (no ledger: use --ledger only on a real one).
 *
 * A script, not a test: it prints figures, it asserts nothing about time.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { auditLedger } from '../src/application/ledger/ledger-audit';
import { loadLedgerKey } from '../src/application/ledger/signing-key';
import { loadMacKey } from '../src/storage/event-mac';
import { ledgerStore } from '../src/storage/ledger-store';
import { openPostgres } from '../src/storage/postgres-database';
import { SqlEventStore } from '../src/storage/sql-event-store';
import type { StreamAppend } from '../src/application/event-store';
import { BENCH_EVENT_TYPE, buildWorkload } from './workload';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '1,2' },
    ledger: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    seed: { type: 'string' },
    // Events per page the verify reads (its default when not given).
    batch: { type: 'string' },
    single: { type: 'boolean', default: false },
    // Also the same split reads as rows (the path before binary COPY), right after, in this process.
    rows: { type: 'boolean', default: false },
  },
});
const url = process.env.DATABASE_URL;
const dataDir = process.env.DATA_DIR;
if (!url || !dataDir) throw new Error('DATABASE_URL and DATA_DIR are required');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const database = await openPostgres({ connectionString: url, applicationName: 'bench verify' });
const store = new SqlEventStore(database, { notify: false, macKey: loadMacKey({ DATA_DIR: dataDir }).key });
const plain = new SqlEventStore(database, { notify: false });
const publicKey = loadLedgerKey({ DATA_DIR: dataDir }).publicKey;

if (values.seed) {
  const workload = buildWorkload({ type: BENCH_EVENT_TYPE, events: Number(values.seed), writers: 1, batch: 1, streamEvents: 2 });
  const t0 = performance.now();
  let chunk: StreamAppend[] = [];
  const inChunk = new Set<string>();
  const flush = async () => {
    if (chunk.length > 0 && !(await store.appendMany(chunk))) throw new Error('a seed append conflicted');
    chunk = [];
    inChunk.clear();
  };
  for (const b of workload.perWriter[0]!) {
    // One append per stream in a statement: a stream's second event waits for the next chunk.
    if (inChunk.has(b.streamId) || chunk.length >= 500) await flush();
    chunk.push({ streamId: `visit-${b.streamId}`, events: b.events, expected: b.expected === 0 ? 'no_stream' : b.expected });
    inChunk.add(b.streamId);
  }
  await flush();
  console.log(`seeded ${values.seed} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** CPU seconds of this process's calling thread (Linux: /proc), NaN elsewhere. */
function mainThreadCpu(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function timed(label: string, work: () => Promise<string>): Promise<number> {
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  const load0 = load();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpu();
  const t0 = performance.now();
  const summary = await work();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const main = mainThreadCpu() - main0;
  stalls.disable();
  console.log(
    `${label.padEnd(28)} wall ${(wall / 1000).toFixed(2)} s, CPU user ${(cpu.user / 1e6).toFixed(2)} + sys ${(cpu.system / 1e6).toFixed(2)} s (main thread ${main.toFixed(2)} s), ` +
      `longest stall ${(stalls.max / 1e6).toFixed(0)} ms, load ${load0} → ${load()} | ${summary}`,
  );
  return wall;
}

for (let round = 1; round <= Number(values.rounds); round++) {
  for (const threads of values.threads.split(',').map(Number)) {
    process.env.AUDIT_VERIFY_THREADS = String(threads);
    const chains = (parallel: { readers?: number; macThread?: boolean; binaryCopy?: boolean }) => async () => {
      const r = await store.verify({ parallel: { threads, minEvents: 0, ...parallel }, ...(values.batch ? { batchSize: Number(values.batch) } : {}) });
      return `${r.eventsChecked} events, ${r.streamsChecked} streams, ${r.broken.length} broken`;
    };
    const wall = await timed(`chains, threads ${threads}`, chains({}));
    if (values.rows && threads === 1) {
      const rows = await timed('chains, pages as rows', chains({ binaryCopy: false }));
      console.log(`${''.padEnd(28)} pages as rows / binary COPY: ${(rows / wall).toFixed(2)}×`);
    }
    if (values.single && threads === 1) {
      const single = await timed('chains, one connection', chains({ readers: 1, macThread: false }));
      console.log(`${''.padEnd(28)} one connection / split reads + MAC thread: ${(single / wall).toFixed(2)}×`);
    }
    if (values.ledger) {
      const head = (await ledgerStore.latestHead(database.db))!;
      await timed(`ledger audit, threads ${threads}`, async () => {
        const r = await auditLedger({ db: database.db, store: plain, publicKey, keptHead: head });
        return `${r.logSize} events, ${r.storedHeads.checked} heads, ok=${r.ok}`;
      });
    }
  }
}
await database.close();
