/**
 * Command benchmark (issue 12, requirement 9): real commands through the service's one append
 * path, against a plain-INSERT baseline of the same rows in the same run.
 *
 *   npm run bench:commands                          # PostgreSQL: DATABASE_URL, TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test
 *   npm run bench:commands -- --pglite              # embedded PGlite, file-backed in a temporary directory
 *   npm run bench:commands -- --commands 20000 --writers 8
 *
 * A command is what POST /api/v1/visits ends in: CommandHandler.handle = load the visit's
 * stream, fold, decide (visitDecider), validate the event against its catalog schema, append
 * VisitRecorded with every inline projection of the service attached (the households projection
 * writes rm_visits in the same transaction), with MACs, hash chain and accumulator. The baseline
 * writes the same rows, one INSERT a row (a command writes one event), into a table of the same
 * shape with no store logic; a second, informational baseline writes them 100 rows a statement
 * (bench:store's). A script, not a test: it asserts nothing about time and exits non-zero only
 * when the data written is wrong.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { CommandHandler, type CommandContext } from '../src/application/command-handler';
import { visitDecider, visitEvents, visitStreamId, type RecordVisit, type VisitState, type VisitEvent } from '../src/domain/visits/visit';
import { allProjections } from '../src/projections/registry';
import type { Database } from '../src/storage/database';
import { migrateToLatest } from '../src/storage/migrate';
import { openPGlite } from '../src/storage/pglite-database';
import { openPostgres } from '../src/storage/postgres-database';
import type { SqlDatabase } from '../src/storage/sql-database';
import { SqlEventStore } from '../src/storage/sql-event-store';

const TARGET = 0.4; // commands >= 40 % of the plain-INSERT rows/s

const { values: args } = parseArgs({
  options: {
    pglite: { type: 'boolean', default: false },
    commands: { type: 'string', default: '20000' },
    writers: { type: 'string', default: '8' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  console.log(`usage: npm run bench:commands -- [--pglite] [--commands N] [--writers N]
  --pglite       run on embedded PGlite (file-backed, temporary directory) instead of PostgreSQL
  --commands N   RecordVisit commands to run (default 20000)
  --writers N    concurrent writers (default 8)
PostgreSQL from DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test;
the run uses a fresh schema bench_<random> and drops it at the end.`);
  process.exit(0);
}
const positive = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`--${name} must be a positive integer, got ${v}`);
    process.exit(2);
  }
  return n;
};
const options = { pglite: args.pglite === true, commands: positive('commands', args.commands), writers: positive('writers', args.writers) };
const log = (m: string) => process.stderr.write(`${m}\n`);
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

async function machineBusy(): Promise<number | null> {
  const sample = async () => {
    try {
      const f = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
      return f.slice(0, 8).reduce((a, b, i) => (i === 3 || i === 4 ? a : a + b), 0) / 100;
    } catch {
      return null;
    }
  };
  const a = await sample();
  await new Promise((r) => setTimeout(r, 1000));
  const b = await sample();
  return a === null || b === null ? null : (b - a) / os.cpus().length;
}

async function timed<T>(perWriter: T[][], call: (item: T) => Promise<unknown>): Promise<{ seconds: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    perWriter.map(async (items) => {
      for (const item of items) {
        const t = performance.now();
        await call(item);
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((x, y) => x - y);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
  return { seconds: (performance.now() - started) / 1000, p50: at(50), p99: at(99) };
}

const FINDINGS = ['老人独居，血压偏高，需每周查看', '收入减少，孩子学费困难', '动态复核：家庭情况无变化', '房屋漏雨，已联系村委会'];

function visitCommand(i: number, worker: string, group: string): { streamId: string; command: RecordVisit; context: CommandContext } {
  const visitId = randomUUID();
  const now = new Date(Date.parse('2026-03-02T01:00:00.000Z') + i);
  return {
    streamId: visitStreamId(visitId),
    context: { actor: { id: worker, role: 'village_worker' }, commandId: randomUUID(), correlationId: randomUUID(), now },
    command: {
      type: 'RecordVisit',
      data: {
        visitId,
        workerId: worker,
        householdId: randomUUID(),
        groupId: group,
        date: '2026-03-01',
        kind: 'routine',
        findings: FINDINGS[i % FINDINGS.length]!,
        followUpActions: i % 2 ? ['一周内回访'] : [],
        peopleServed: 1 + (i % 4),
        today: '2026-03-02',
        backdateWindowDays: 7,
        policyVersion: 1,
        now: now.toISOString(),
      },
    },
  };
}

async function open(): Promise<{ database: SqlDatabase; describe: string; cleanup(): Promise<void> }> {
  if (options.pglite) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-commands-'));
    const database = await openPGlite({ dataDir: dir });
    return { database, describe: `PGlite, file-backed in ${dir}`, cleanup: async () => (await database.close().catch(() => undefined), await rm(dir, { recursive: true, force: true })) };
  }
  const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const database = await openPostgres({ connectionString: url, schema, poolSize: options.writers + 1 });
  return {
    database,
    describe: `PostgreSQL at ${url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}, schema ${schema}`,
    async cleanup() {
      await sql.raw(`drop schema if exists ${schema} cascade`).execute(database.db).catch((e) => log(`could not drop ${schema}: ${String(e)}`));
      await database.close().catch(() => undefined);
    },
  };
}

const count = async (db: Kysely<any>, table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!.n);

async function main(): Promise<number> {
  const target = await open();
  const { database } = target;
  try {
    await migrateToLatest(database);
    const inline = allProjections().filter((p) => p.mode === 'inline');
    const store = new SqlEventStore(database, { inlineProjections: inline, notify: false, macKey: randomBytes(32) });
    const handler = new CommandHandler(store);
    const inlineForVisits = inline.filter((p) => p.handles.includes('VisitRecorded')).map((p) => p.name);
    log(`bench:commands on ${target.describe}`);
    log(`${fmt(options.commands)} RecordVisit commands by ${options.writers} writers; inline projections run for VisitRecorded: ${inlineForVisits.join(', ') || 'none'}`);

    const workers = Array.from({ length: options.writers }, () => randomUUID());
    const group = randomUUID();
    const per = Math.ceil(options.commands / options.writers);
    const build = (n: number, offset: number) => workers.map((w, k) => Array.from({ length: n }, (_, i) => visitCommand(offset + k * n + i, w, group)));
    const run = (c: ReturnType<typeof visitCommand>) =>
      handler.handle<RecordVisit, VisitEvent, VisitState>({ streamId: c.streamId, decider: visitDecider, catalog: visitEvents, command: c.command, context: c.context });

    // Warm-up (untimed): opens every pool connection, prepares statements, warms the JIT.
    await timed(build(50, 864_000_000), run); // ten days later: told apart from the timed rows below
    const commands = build(per, 0);
    await sql`checkpoint`.execute(database.db).catch(() => undefined);
    const busyCommands = await machineBusy();
    const cmd = await timed(commands, run);
    const total = per * options.writers;

    // The same rows, as the store wrote them, for the baselines.
    const plainTable = 'bench_plain_events';
    await sql`create table ${sql.table(plainTable)} (like es_events including defaults including constraints including indexes including identity)`.execute(database.db);
    await sql`create table bench_plain_batched (like es_events including defaults including constraints including indexes including identity)`.execute(database.db);
    const rows = (
      await sql<{ event_id: string; stream_id: string; version: string; type: string; schema_version: number; data: string; metadata: string; recorded_at: string; prev_hash: string; hash: string; mac: string }>`
        select event_id, stream_id, version, type, schema_version, data::text as data, metadata::text as metadata, recorded_at::text as recorded_at, prev_hash, hash, mac
        from es_events where type = 'VisitRecorded' and (metadata->>'recordedAt') < '2026-03-03' order by global_position`.execute(database.db)
    ).rows.map((r) => ({ ...r, event_id: randomUUID() }));
    const perWriterRows = workers.map((_, k) => rows.filter((_, i) => i % options.writers === k));
    const insertOne = (r: (typeof rows)[number]) =>
      database.prepared(
        'bench_plain_one',
        `insert into ${plainTable} (event_id, stream_id, version, type, schema_version, data, metadata, recorded_at, prev_hash, hash, mac) values ($1::uuid,$2,$3::bigint,$4,$5::int,$6::jsonb,$7::jsonb,$8::timestamptz,$9,$10,$11)`,
        [r.event_id, r.stream_id, r.version, r.type, r.schema_version, r.data, r.metadata, r.recorded_at, r.prev_hash, r.hash, r.mac],
      );
    await sql`checkpoint`.execute(database.db).catch(() => undefined);
    const busyPlain = await machineBusy();
    const plain = await timed(perWriterRows, insertOne);

    const batches = perWriterRows.map((list) => Array.from({ length: Math.ceil(list.length / 100) }, (_, b) => list.slice(b * 100, b * 100 + 100)));
    const insertBatch = (batch: typeof rows) =>
      database.db.withTables<{ bench_plain_batched: Database['es_events'] }>().insertInto('bench_plain_batched').values(batch.map((r) => ({ ...r, event_id: randomUUID(), data: sql`${r.data}::jsonb`, metadata: sql`${r.metadata}::jsonb` }))).execute();
    await sql`checkpoint`.execute(database.db).catch(() => undefined);
    const busyBatched = await machineBusy();
    const batched = await timed(batches, insertBatch);

    // The data must be right, or the figures mean nothing.
    const problems: string[] = [];
    if (rows.length !== total) problems.push(`${rows.length} VisitRecorded events stored, ${total} commands ran`);
    const visits = await count(database.db, 'rm_visits');
    if (visits !== total + 50 * options.writers) problems.push(`rm_visits has ${visits} rows, expected ${total + 50 * options.writers}`);
    if ((await count(database.db, plainTable)) !== rows.length) problems.push('the plain baseline lost rows');
    const verify = await store.verify();
    if (verify.broken.length > 0) problems.push(`verify() found ${verify.broken.length} broken links`);

    const rate = (n: number, s: number) => n / s;
    const cmdRate = rate(total, cmd.seconds);
    const plainRate = rate(rows.length, plain.seconds);
    const batchedRate = rate(rows.length, batched.seconds);
    const busy = (b: number | null) => (b === null ? '?' : `${Math.round(b * 100)} %${b > 0.15 ? ' !!' : ''}`);
    console.log('');
    console.log('| phase | rows/s | p50 ms | p99 ms | busy before |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(`| commands (load, decide, append VisitRecorded + inline projections) | ${fmt(cmdRate)} | ${cmd.p50.toFixed(2)} | ${cmd.p99.toFixed(2)} | ${busy(busyCommands)} |`);
    console.log(`| plain INSERT, one row a statement | ${fmt(plainRate)} | ${plain.p50.toFixed(2)} | ${plain.p99.toFixed(2)} | ${busy(busyPlain)} |`);
    console.log(`| plain INSERT, 100 rows a statement (informational) | ${fmt(batchedRate)} | ${batched.p50.toFixed(2)} | ${batched.p99.toFixed(2)} | ${busy(busyBatched)} |`);
    console.log('');
    const ratio = cmdRate / plainRate;
    console.log(`commands / plain INSERT (one row a statement) = ${(ratio * 100).toFixed(1)} % (target >= ${TARGET * 100} %): ${ratio >= TARGET ? 'MET' : 'NOT MET'}`);
    console.log(`commands / plain INSERT (100 rows a statement) = ${((cmdRate / batchedRate) * 100).toFixed(1)} %`);
    if (problems.length > 0) {
      console.error(`DATA WRONG:\n  ${problems.join('\n  ')}`);
      return 1;
    }
    return 0;
  } finally {
    await target.cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
