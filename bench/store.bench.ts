/**
 * Event-store benchmark (issue 2, section 9): append throughput through the application's append
 * path, projection catch-up throughput, and a plain multi-row INSERT baseline of the same rows,
 * in one run.
 *
 *   npm run bench:store -- --database-url URL # PostgreSQL (or DATABASE_URL); it never guesses a server
 *   npm run bench:store -- --pglite           # embedded PGlite, file-backed in a temporary directory
 *   npm run bench:store -- --events 100000 --writers 8 --batch 100 --stream-events 100 --catchup-batch 1000
 *
 * A script, not a test: it prints figures and compares them with the targets, it asserts nothing
 * about time. It exits non-zero only if the data written is wrong (a count does not match).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeError } from '../src/cli/cli-kit';
import { sql, type Kysely } from 'kysely';
import pino from 'pino';
import { UpcasterRegistry } from '../src/application/upcasters';
import { ProjectionEngine } from '../src/projections/engine';
import { allProjections } from '../src/projections/registry';
import type { Database } from '../src/storage/database';
import { migrateToLatest } from '../src/storage/migrate';
import { openPGlite } from '../src/storage/pglite-database';
import { openPostgres } from '../src/storage/postgres-database';
import type { Projection } from '../src/projections/projection';
import type { SqlDatabase } from '../src/storage/sql-database';
import { SqlEventStore } from '../src/storage/sql-event-store';
import { createVisitsReadModel, visitsProjection, VISITS_TABLE, WORKER_MONTH_TABLE } from './visits-projection';
import { BENCH_EVENT_TYPE, buildWorkload, DOMAIN_EVENT_TYPE, plainRows, type Batch, type PlainRow } from './workload';

const PLAIN_TABLE = 'bench_plain_events' as const;
const PREPARED_TABLE = 'bench_prepared_events';
const PLAIN_COLUMNS = ['event_id', 'stream_id', 'version', 'type', 'schema_version', 'data', 'metadata', 'recorded_at', 'prev_hash', 'hash', 'mac'] as const;

/**
 * The second, informational baseline: the same multi-row INSERT as a named prepared statement
 * (parsed and planned once per connection), which is how the store's append runs its statement.
 */
function preparedInsert(database: SqlDatabase, rows: PlainRow[]): Promise<unknown> {
  const params = rows.flatMap((row) => PLAIN_COLUMNS.map((c) => row[c]));
  return database.prepared(`bench_prepared_${rows.length}`, preparedInsertText(rows.length), params);
}

/** Built once per row count, as a real user of a prepared statement would. */
const preparedTexts = new Map<number, string>();
function preparedInsertText(rows: number): string {
  let text = preparedTexts.get(rows);
  if (text === undefined) {
    const tuples = Array.from({ length: rows }, (_, r) => `(${PLAIN_COLUMNS.map((_, c) => `$${r * PLAIN_COLUMNS.length + c + 1}`).join(',')})`);
    text = `insert into ${PREPARED_TABLE} (${PLAIN_COLUMNS.join(', ')}) values ${tuples.join(',')}`;
    preparedTexts.set(rows, text);
  }
  return text;
}
const APPEND_TARGET = 0.5; // append >= 50% of the plain-insert rate
const CATCHUP_TARGET = 20_000; // events/s on PostgreSQL

// ---------------------------------------------------------------------------------------------
// Options

const { values: args } = parseBenchArgs({
  options: {
    pglite: { type: 'boolean', default: false },
    'database-url': { type: 'string' },
    events: { type: 'string', default: '100000' },
    writers: { type: 'string', default: '8' },
    batch: { type: 'string', default: '100' },
    'stream-events': { type: 'string', default: '100' },
    'catchup-batch': { type: 'string', default: '1000' },
    'no-vacuum': { type: 'boolean', default: false },
    verify: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'real-type': { type: 'boolean', default: false },
    'cold-heads': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

/** Bad flags: one line and exit 2, not parseArgs' stack trace. */
function parseBenchArgs<const T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>(config);
  } catch (error) {
    console.error(`bench:store: ${(error as Error).message.split('. ')[0]} (see --help)`);
    process.exit(2);
  }
}

if (args.help) {
  console.log(`usage: npm run bench:store -- (--database-url URL | --pglite) [--events N] [--writers N] [--batch N]
                            [--stream-events N] [--catchup-batch N] [--no-vacuum] [--verify]
  --database-url URL PostgreSQL to run on (or DATABASE_URL); one of it or --pglite is required
  --pglite           run on embedded PGlite (file-backed, temporary directory) instead of PostgreSQL
  --events N         events to append (default 100000)
  --writers N        concurrent writers (default 8)
  --batch N          events per append / rows per plain INSERT (default 100)
  --stream-events N  events per stream (default 100); each writer owns its streams
  --catchup-batch N  projection engine batch size (default 1000)
  --no-vacuum        skip the untimed VACUUM ANALYZE between phases
  --verify           also time store.verify() over everything written
  --cold-heads       make each append through a new SqlEventStore, so no stream head is cached and an append
                     at an expected version reads the head first (as when another process wrote last)
  --real-type        write the domain's VisitRecorded instead of BenchVisitRecorded (same payload), so the
                     service's inline projections for it run inside every append (the households
                     projection: rm_visits, one INSERT per event). Default: the store alone.
  --keep             keep the schema (or PGlite directory) afterwards, for inspection
PostgreSQL from --database-url or DATABASE_URL (never guessed); the run uses a fresh schema
bench_<random> and drops it at the end.`);
  process.exit(0);
}

function positiveInt(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`--${name} must be a positive integer, got ${value}`);
    process.exit(2);
  }
  return n;
}

const databaseUrl = args['database-url'] ?? process.env.DATABASE_URL;
if (!args.pglite && !databaseUrl) {
  console.error('bench:store: which database? pass --database-url URL (or set DATABASE_URL) for PostgreSQL, or --pglite (see --help)');
  process.exit(2);
}

const options = {
  pglite: args.pglite === true,
  events: positiveInt('events', args.events),
  writers: positiveInt('writers', args.writers),
  batch: positiveInt('batch', args.batch),
  streamEvents: positiveInt('stream-events', args['stream-events']),
  catchupBatch: positiveInt('catchup-batch', args['catchup-batch']),
  vacuum: args['no-vacuum'] !== true,
  verify: args.verify === true,
  keep: args.keep === true,
  eventType: args['real-type'] === true ? DOMAIN_EVENT_TYPE : BENCH_EVENT_TYPE,
  coldHeads: args['cold-heads'] === true,
};

// ---------------------------------------------------------------------------------------------
// Helpers

const log = (message: string) => process.stderr.write(`${message}\n`);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

interface PhaseResult {
  name: string;
  count: number;
  seconds: number;
  rate: number;
  latenciesMs: number[];
  cpu: CpuUse;
  /** Share of the machine's cores busy during the second before the phase, while this run was idle. */
  busyBefore?: number | null;
}

/** How busy the machine is without us: sampled for a second while this process waits. */
async function othersBusy(): Promise<number | null> {
  const before = await machineCpuSeconds();
  await new Promise((r) => setTimeout(r, 1000));
  const after = await machineCpuSeconds();
  return before === null || after === null ? null : (after - before) / os.cpus().length;
}

/** CPU seconds used during a phase: by this Node process, and by the whole machine (Linux). */
interface CpuUse {
  node: number;
  machine: number | null;
}

async function machineCpuSeconds(): Promise<number | null> {
  try {
    const first = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
    const busy = first.slice(0, 8).reduce((a, b, i) => (i === 3 || i === 4 ? a : a + b), 0);
    return busy / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

async function measureCpu<T>(run: () => Promise<T>): Promise<{ result: T; cpu: CpuUse }> {
  const machineBefore = await machineCpuSeconds();
  const nodeBefore = process.cpuUsage();
  const result = await run();
  const node = process.cpuUsage(nodeBefore);
  const machineAfter = await machineCpuSeconds();
  return {
    result,
    cpu: { node: (node.user + node.system) / 1e6, machine: machineBefore !== null && machineAfter !== null ? machineAfter - machineBefore : null },
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs each writer's items in order, all writers at once; returns wall time and per-call latencies. */
async function concurrently<T>(perWriter: T[][], call: (item: T) => Promise<unknown>): Promise<{ seconds: number; latenciesMs: number[]; cpu: CpuUse }> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  const { cpu } = await measureCpu(() =>
    Promise.all(
      perWriter.map(async (items) => {
        for (const item of items) {
          const t = performance.now();
          await call(item);
          latenciesMs.push(performance.now() - t);
        }
      }),
    ),
  );
  return { seconds: (performance.now() - started) / 1000, latenciesMs, cpu };
}

async function count<D>(db: Kysely<D>, table: string, where = sql``): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} ${where}`.execute(db);
  return Number(r.rows[0]!.n);
}

async function checkpointDb<D>(db: Kysely<D>): Promise<void> {
  // Start each timed phase with no dirty pages left over from the one before. Needs superuser
  // (or pg_checkpoint); without it the phase just starts without.
  await sql`checkpoint`.execute(db).catch(() => undefined);
}

async function vacuumAnalyze<D>(db: Kysely<D>, tables: string[]): Promise<void> {
  if (!options.vacuum) return;
  // Untimed: so that an autovacuum of the previous phase's table does not land inside the next
  // timed phase, and the planner has statistics (as it would a minute after the load).
  for (const table of tables) await sql`vacuum (analyze) ${sql.table(table)}`.execute(db);
}

async function setting<D>(db: Kysely<D>, name: string): Promise<string> {
  try {
    const r = await sql<{ v: string }>`select current_setting(${name}) as v`.execute(db);
    return r.rows[0]?.v ?? '?';
  } catch {
    return '?';
  }
}

async function pgliteVersion(): Promise<string> {
  try {
    const file = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'node_modules', '@electric-sql', 'pglite', 'package.json');
    return (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

async function currentXid<D>(db: Kysely<D>): Promise<number> {
  return Number((await sql<{ x: string }>`select pg_current_xact_id()::text as x`.execute(db)).rows[0]!.x);
}

/**
 * The projection with a guard: if it is handed more events than exist, the engine is re-applying
 * a page (a bug this benchmark once found in readAll's ordering; the contract suite now has a
 * regression test). A timer cannot catch that on PGlite, whose queries resolve as microtasks and
 * starve timers, so the guard is in-band: it fails the batch.
 */
function guarded(projection: Projection, expected: number): Projection {
  let handed = 0;
  return {
    ...projection,
    async apply(trx, events) {
      handed += events.length;
      if (handed > expected) {
        throw new Error(
          `catch-up runaway: the engine has handed the projection ${handed} events, but only ${expected} exist. ` +
            'ProjectionEngine.catchUp() is re-applying a page: readAll skipped back or misordered positions. Stopped.',
        );
      }
      await projection.apply(trx, events);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Database

interface Target {
  database: SqlDatabase;
  describe: string;
  cleanup(): Promise<void>;
}

async function openTarget(): Promise<Target> {
  if (options.pglite) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-pglite-'));
    const database = await openPGlite({ dataDir: dir });
    return {
      database,
      describe: `PGlite ${await pgliteVersion()}, file-backed in ${dir}`,
      async cleanup() {
        await database.close().catch(() => undefined);
        if (options.keep) log(`kept PGlite data directory ${dir}`);
        else await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const url = databaseUrl!;
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  // One connection per writer, so writers never queue for the pool, plus one spare.
  const database = await openPostgres({ connectionString: url, schema, poolSize: options.writers + 1 });
  const safeUrl = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return {
    database,
    describe: `PostgreSQL at ${safeUrl}, schema ${schema}`,
    async cleanup() {
      if (options.keep) log(`kept schema ${schema}`);
      else {
        // Retried: when interrupted, appends still in flight can deadlock with the drop.
        for (let attempt = 1; attempt <= 5; attempt++) {
          try {
            await sql.raw(`drop schema if exists ${schema} cascade`).execute(database.db);
            break;
          } catch (e) {
            if (attempt === 5) log(`could not drop schema ${schema}: ${String(e)}`);
            else await new Promise((r) => setTimeout(r, 200 * attempt));
          }
        }
      }
      await database.close().catch(() => undefined);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Main

let interruptCleanup: (() => Promise<void>) | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up …`);
    const done = () => process.exit(130);
    if (!interruptCleanup) done();
    else void Promise.race([interruptCleanup(), new Promise((r) => setTimeout(r, 5_000).unref())]).then(done, done);
  });
}

async function main(): Promise<number> {
  const target = await openTarget();
  interruptCleanup = () => target.cleanup();
  const { database } = target;
  // The baseline table is a copy of es_events (create table … like es_events).
  const db = database.db.withTables<{ [PLAIN_TABLE]: Database['es_events'] }>();
  let failures = 0;
  try {
    await migrateToLatest(database);
    await createVisitsReadModel(database.db);
    // The baseline table: the same columns, defaults (identity, pg_current_xact_id()),
    // constraints and indexes as es_events. What it lacks is the store's work: no hash chain,
    // no stream row to create and lock, no idempotency lookup, no RETURNING, no NOTIFY.
    await sql`create table ${sql.table(PLAIN_TABLE)} (like es_events including all)`.execute(db);
    await sql`create table ${sql.table(PREPARED_TABLE)} (like es_events including all)`.execute(db);

    // The store as the composition root builds it, the service's inline projections included.
    // None of them handles BenchVisitRecorded, so by default they cost only a type check;
    // with --real-type the households projection writes rm_visits inside every append.
    const inlineProjections = allProjections().filter((p) => p.mode === 'inline');
    const newStore = () => new SqlEventStore(database, { upcasters: new UpcasterRegistry(), inlineProjections });
    const store = newStore();

    // -- machine and server ----------------------------------------------------------------
    const cpus = os.cpus();
    const serverVersion = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]!.v;
    const machine = [
      ['cpu', `${cpus[0]?.model ?? '?'} × ${cpus.length} (os.availableParallelism ${os.availableParallelism()})`],
      ['memory', `${fmt(os.totalmem() / 2 ** 30, 1)} GiB`],
      ['os', `${os.type()} ${os.release()} ${os.arch()}`],
      ['node', process.version],
      ['database', target.describe],
      ['server', serverVersion],
      [
        'settings',
        `shared_buffers=${await setting(db, 'shared_buffers')} synchronous_commit=${await setting(db, 'synchronous_commit')} fsync=${await setting(db, 'fsync')} max_wal_size=${await setting(db, 'max_wal_size')}`,
      ],
    ] as const;

    // -- workload (untimed) ----------------------------------------------------------------
    log(`building ${fmt(options.events)} events …`);
    const workload = buildWorkload({
      type: options.eventType,
      fullPayload: options.eventType === DOMAIN_EVENT_TYPE,
      events: options.events,
      writers: options.writers,
      batch: options.batch,
      streamEvents: options.streamEvents,
    });
    const appends = workload.perWriter.reduce((n, l) => n + l.length, 0);
    const plain: PlainRow[][][] = workload.perWriter.map((list) => list.map(plainRows));

    // -- warm-up (untimed): open every pool connection, JIT the append and insert paths -----
    log('warming up …');
    const warm = buildWorkload({
      type: 'BenchWarmup',
      events: options.writers * Math.min(options.batch, 20) * 2,
      writers: options.writers,
      batch: Math.min(options.batch, 20),
      streamEvents: 40,
    });
    await concurrently(warm.perWriter, (b: Batch) => store.append(`warmup-${b.streamId}`, b.events, b.expected === 0 ? 'no_stream' : b.expected));
    await concurrently(
      warm.perWriter.map((l) => l.map(plainRows)),
      (rows: PlainRow[]) =>
        db
          .insertInto(PLAIN_TABLE)
          .values(rows.map((r) => ({ ...r, stream_id: `warmup-${r.stream_id}` })))
          .execute(),
    );
    await concurrently(
      warm.perWriter.map((l) => l.map(plainRows)),
      (rows: PlainRow[]) =>
        preparedInsert(
          database,
          rows.map((r) => ({ ...r, stream_id: `warmup-${r.stream_id}` })),
        ),
    );
    await sql`truncate ${sql.table(PLAIN_TABLE)}`.execute(db);
    await sql`truncate ${sql.table(PREPARED_TABLE)}`.execute(db);

    const xidBefore = await currentXid(db);

    // -- phase 1: append through the store -------------------------------------------------
    await checkpointDb(db);
    const busy1 = await othersBusy();
    log(`append: ${fmt(workload.totalEvents)} events, ${fmt(appends)} appends over ${fmt(workload.streams)} streams, ${options.writers} writers …`);
    const appendRun = await concurrently(workload.perWriter, (b: Batch) =>
      (options.coldHeads ? newStore() : store).append(b.streamId, b.events, b.expected === 0 ? 'no_stream' : b.expected),
    );
    const xidAfter = await currentXid(db);
    const appended = await count(db, 'es_events', sql`where type = ${options.eventType}`);
    if (appended !== workload.totalEvents) {
      log(`!! es_events holds ${appended} ${options.eventType} events, expected ${workload.totalEvents}`);
      failures++;
    }
    const append: PhaseResult = {
      name: 'append (SqlEventStore.append)',
      count: workload.totalEvents,
      ...appendRun,
      busyBefore: busy1,
      rate: workload.totalEvents / appendRun.seconds,
    };
    log(`  ${fmt(append.rate)} events/s`);
    await vacuumAnalyze(db, ['es_events', 'es_streams']);

    // -- phase 2: projection catch-up ------------------------------------------------------
    const projection = guarded(visitsProjection(options.eventType), workload.totalEvents);
    const engine = new ProjectionEngine(database, store, [projection], pino({ level: 'silent' }), { batchSize: options.catchupBatch });
    await checkpointDb(db);
    const busy2 = await othersBusy();
    log(`catch-up: projection ${projection.name}, batch ${options.catchupBatch} …`);
    const catchStart = performance.now();
    const { result: applied, cpu: catchCpu } = await measureCpu(() => engine.catchUp());
    const catchSeconds = (performance.now() - catchStart) / 1000;
    const rmRows = await count(db, VISITS_TABLE);
    const monthTotal = Number((await sql<{ n: string | null }>`select sum(visits) as n from ${sql.table(WORKER_MONTH_TABLE)}`.execute(db)).rows[0]!.n ?? 0);
    const lag = (await engine.status()).find((s) => s.name === projection.name)?.lag ?? -1;
    if (applied !== workload.totalEvents || rmRows !== workload.totalEvents || monthTotal !== workload.totalEvents || lag !== 0) {
      log(
        `!! catch-up applied ${applied}, ${VISITS_TABLE} has ${rmRows} rows, worker-month total ${monthTotal}, lag ${lag}; expected ${workload.totalEvents} and lag 0`,
      );
      failures++;
    }
    const catchUp: PhaseResult = {
      name: `projection catch-up (batch ${options.catchupBatch})`,
      count: applied,
      seconds: catchSeconds,
      rate: applied / catchSeconds,
      latenciesMs: [],
      cpu: catchCpu,
      busyBefore: busy2,
    };
    log(`  ${fmt(catchUp.rate)} events/s`);
    await vacuumAnalyze(db, [VISITS_TABLE, WORKER_MONTH_TABLE]);

    // -- phase 3: baseline, plain multi-row INSERT of the same rows -------------------------
    /** One timed baseline: the same rows into `table` by `insert`, 8 writers, checked by count. */
    async function insertPhase(name: string, table: string, describe: string, insert: (rows: PlainRow[]) => Promise<unknown>): Promise<PhaseResult> {
      await checkpointDb(db);
      const busyBefore = await othersBusy();
      log(`baseline: ${fmt(workload.totalEvents)} rows by ${describe}, ${options.writers} writers …`);
      const run = await concurrently(plain, insert);
      const rows = await count(db, table);
      if (rows !== workload.totalEvents) {
        log(`!! ${table} holds ${rows} rows, expected ${workload.totalEvents}`);
        failures++;
      }
      log(`  ${fmt(rows / run.seconds)} rows/s`);
      return { name, count: rows, ...run, busyBefore, rate: rows / run.seconds };
    }
    const baseline = await insertPhase('plain multi-row INSERT (baseline)', PLAIN_TABLE, 'plain multi-row INSERT', (rows) =>
      db.insertInto(PLAIN_TABLE).values(rows).execute(),
    );
    await vacuumAnalyze(db, [PLAIN_TABLE]);

    // -- phase 4: informational baseline, the same INSERT as a prepared statement -----------
    const preparedBaseline = await insertPhase('prepared multi-row INSERT (informational)', PREPARED_TABLE, 'the same INSERT, prepared', (rows) =>
      preparedInsert(database, rows),
    );

    // -- optional: verify ------------------------------------------------------------------
    let verify: PhaseResult | null = null;
    if (options.verify) {
      log('verify: recomputing every hash chain …');
      const t = performance.now();
      const { result: report, cpu } = await measureCpu(() => store.verify());
      const seconds = (performance.now() - t) / 1000;
      if (report.broken.length > 0) {
        log(`!! verify found ${report.broken.length} broken chains`);
        failures++;
      }
      verify = { name: 'store.verify() (all chains)', count: report.eventsChecked, seconds, rate: report.eventsChecked / seconds, latenciesMs: [], cpu };
    }

    // -- storage sizes ---------------------------------------------------------------------
    const size = async (table: string) =>
      (await sql<{ s: string }>`select pg_size_pretty(pg_total_relation_size(${table}::regclass)) as s`.execute(db)).rows[0]!.s;
    const sizes = `es_events ${await size('es_events')}, ${PLAIN_TABLE} ${await size(PLAIN_TABLE)}, ${PREPARED_TABLE} ${await size(PREPARED_TABLE)}, ${VISITS_TABLE} ${await size(VISITS_TABLE)}`;

    // -- report ----------------------------------------------------------------------------
    const ratio = append.rate / baseline.rate;
    const engineName = database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
    const lines: string[] = [];
    lines.push('');
    lines.push(`Event-store benchmark on ${engineName}`);
    lines.push('');
    for (const [k, v] of machine) lines.push(`  ${k.padEnd(9)} ${v}`);
    lines.push('');
    lines.push(
      `  workload  ${fmt(workload.totalEvents)} ${options.eventType} events, data ${fmt(workload.avgDataBytes)} B + metadata ${fmt(workload.avgMetadataBytes)} B of JSON on average;`,
    );
    lines.push(
      `            ${options.writers} writers${database.kind === 'pglite' ? ' (PGlite has one connection: their transactions run one at a time)' : ` on a pg pool of ${options.writers + 1}`}, ${fmt(workload.streams)} streams (each writer owns its own), ${options.streamEvents} events a stream,`,
    );
    lines.push(
      `            ${options.batch} events an append (${fmt(appends)} appends); catch-up batch ${options.catchupBatch}; VACUUM ANALYZE between phases: ${options.vacuum ? 'yes (untimed)' : 'no'}${options.coldHeads ? '; no cached stream heads (--cold-heads)' : ''}`,
    );
    lines.push(`  sizes     ${sizes}`);
    lines.push(`  xids      append phase used transaction ids ${fmt(xidBefore)}–${fmt(xidAfter)}`);
    lines.push('');
    const header = ['phase', 'count', 'seconds', 'rate /s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'node CPU s', 'machine CPU s', 'busy before'];
    const rows = [append, baseline, preparedBaseline, catchUp, ...(verify ? [verify] : [])].map((r) => {
      const sorted = [...r.latenciesMs].sort((a, b) => a - b);
      const l = (p: number) => (sorted.length ? fmt(percentile(sorted, p), 1) : '–');
      return [
        r.name,
        fmt(r.count),
        fmt(r.seconds, 2),
        fmt(r.rate),
        l(50),
        l(95),
        l(99),
        sorted.length ? fmt(sorted[sorted.length - 1]!, 1) : '–',
        fmt(r.cpu.node, 1),
        r.cpu.machine === null ? '?' : fmt(r.cpu.machine, 1),
        r.busyBefore === undefined ? '–' : r.busyBefore === null ? '?' : `${fmt(r.busyBefore * 100)} %`,
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `  | ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
    lines.push(line(header));
    lines.push(`  |${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
    for (const r of rows) lines.push(line(r));
    lines.push(
      `  (node CPU: this process; machine CPU: all cores busy time from /proc/stat, PostgreSQL included; ${os.cpus().length} cores = ${os.cpus().length} CPU s per second;`,
    );
    lines.push('   busy before: share of all cores busy in the idle second before the phase, i.e. other work on the machine)');
    const busiest = Math.max(...[append, baseline, preparedBaseline, catchUp].map((r) => r.busyBefore ?? 0));
    if (busiest > 0.15)
      lines.push(`  !! the machine was ${fmt(busiest * 100)} % busy with other work before a phase: figures are disturbed, run again when it is idle`);
    lines.push('');
    lines.push(`  append / plain INSERT   ${fmt(ratio * 100, 1)} %   target ≥ ${APPEND_TARGET * 100} %   ${ratio >= APPEND_TARGET ? 'MET' : 'NOT MET'}`);
    lines.push(
      `  append / prepared INSERT ${fmt((append.rate / preparedBaseline.rate) * 100, 1)} %   (informational: the baseline run as the append runs, prepared once per connection${database.kind === 'pglite' ? '; PGlite has no named statements, so this equals the plain INSERT' : ''})`,
    );
    const catchMet = catchUp.rate >= CATCHUP_TARGET;
    lines.push(
      `  catch-up                ${fmt(catchUp.rate)} events/s   target ≥ ${fmt(CATCHUP_TARGET)} events/s on PostgreSQL   ${
        database.kind === 'postgres'
          ? catchMet
            ? 'MET'
            : 'NOT MET'
          : `${catchMet ? 'would be met' : 'would not be met'} (target is for PostgreSQL; informational)`
      }`,
    );
    lines.push('');
    lines.push('  "append" is SqlEventStore.append with prebuilt NewEvent batches: the application\'s append path, which every');
    lines.push('  command ends in (CommandHandler = load stream, decide, then this append). Loading and deciding are not included.');
    if (failures > 0) lines.push('', `  !! ${failures} consistency check(s) failed, see above`);
    console.log(lines.join('\n'));
  } finally {
    // Bounded: after a runaway catch-up the engine may still hold the connection.
    await Promise.race([target.cleanup(), new Promise((r) => setTimeout(r, 10_000).unref())]);
  }
  return failures;
}

main().then(
  (failures) => process.exit(failures > 0 ? 1 : 0),
  (error) => {
    console.error(`bench:store: ${describeError(error)}`);
    if (process.env.DEBUG) console.error(error);
    process.exit(1);
  },
);
