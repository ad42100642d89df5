/**
 * Command benchmark (issue 12, requirement 9): real commands through the service's one append
 * path, against a plain-INSERT baseline of the same rows in the same run.
 *
 *   npm run bench:commands                          # PostgreSQL: DATABASE_URL, TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test
 *   npm run bench:commands -- --pglite              # embedded PGlite, file-backed in a temporary directory
 *   npm run bench:commands -- --commands 20000 --writers 8
 *
 * A command is what POST /api/v1/visits ends in: CommandHandler.handle = decide (visitDecider)
 * on the visit stream's state, validate the event against its catalog schema, append
 * VisitRecorded with every inline projection of the service attached (the households projection
 * writes rm_visits in the same statement), with MACs, hash chain and accumulator. A visit
 * creates its stream, so the handler decides on the empty state and appends with `no_stream`
 * without reading first (the append proves the stream was empty; see CommandHandler). The
 * baseline writes the same rows, one INSERT a row (a command writes one event), into a table of
 * the same shape with no store logic; a second, informational baseline writes them 100 rows a
 * statement (bench:store's). The phases run in interleaved rounds (commands, baseline,
 * informational baseline, then again), so that load from elsewhere on a shared machine falls on
 * all of them alike. A script, not a test: it asserts nothing about time and exits non-zero only
 * when the data written is wrong.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Db } from '../src/application/db';
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
    rounds: { type: 'string', default: '5' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  console.log(`usage: npm run bench:commands -- [--pglite] [--commands N] [--writers N]
  --pglite       run on embedded PGlite (file-backed, temporary directory) instead of PostgreSQL
  --commands N   RecordVisit commands to run (default 20000)
  --writers N    concurrent writers (default 8)
  --rounds N     interleaved rounds of the three phases (default 5)
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
const options = {
  pglite: args.pglite === true,
  commands: positive('commands', args.commands),
  writers: positive('writers', args.writers),
  rounds: positive('rounds', args.rounds),
};
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

/** One phase's time and latencies, summed over the rounds it ran in. */
class Phase {
  seconds = 0;
  rows = 0;
  private readonly latencies: number[] = [];
  async run<T>(perWriter: T[][], call: (item: T) => Promise<unknown>, rowsOf: (item: T) => number = () => 1): Promise<void> {
    const started = performance.now();
    await Promise.all(
      perWriter.map(async (items) => {
        for (const item of items) {
          const t = performance.now();
          await call(item);
          this.latencies.push(performance.now() - t);
          this.rows += rowsOf(item);
        }
      }),
    );
    this.seconds += (performance.now() - started) / 1000;
  }
  get rate(): number {
    return this.rows / this.seconds;
  }
  at(p: number): number {
    const sorted = [...this.latencies].sort((x, y) => x - y);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  }
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
    return {
      database,
      describe: `PGlite, file-backed in ${dir}`,
      cleanup: async () => (await database.close().catch(() => undefined), await rm(dir, { recursive: true, force: true })),
    };
  }
  const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const database = await openPostgres({ connectionString: url, schema, poolSize: options.writers + 1 });
  return {
    database,
    describe: `PostgreSQL at ${url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}, schema ${schema}`,
    async cleanup() {
      await sql
        .raw(`drop schema if exists ${schema} cascade`)
        .execute(database.db)
        .catch((e) => log(`could not drop ${schema}: ${String(e)}`));
      await database.close().catch(() => undefined);
    },
  };
}

const count = async (db: Db, table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!.n);

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
    log(
      `${fmt(options.commands)} RecordVisit commands by ${options.writers} writers; inline projections run for VisitRecorded: ${inlineForVisits.join(', ') || 'none'}`,
    );

    const workers = Array.from({ length: options.writers }, () => randomUUID());
    const group = randomUUID();
    const perRound = Math.ceil(options.commands / options.writers / options.rounds);
    const build = (n: number, offset: number) => workers.map((w, k) => Array.from({ length: n }, (_, i) => visitCommand(offset + k * n + i, w, group)));
    const stored: string[] = [];
    const run = async (c: ReturnType<typeof visitCommand>) => {
      const result = await handler.handle<RecordVisit, VisitEvent, VisitState>({
        streamId: c.streamId,
        decider: visitDecider,
        catalog: visitEvents,
        command: c.command,
        context: c.context,
      });
      stored.push(...result.events.map((e) => e.eventId));
    };
    // Informational: the same command read first. If-Match 0 ("the stream must be empty", which
    // it is) makes the handler load the stream before deciding, as a command on an existing stream does.
    const readFirst = (c: ReturnType<typeof visitCommand>) =>
      handler.handle<RecordVisit, VisitEvent, VisitState>({
        streamId: c.streamId,
        decider: visitDecider,
        catalog: visitEvents,
        command: c.command,
        context: c.context,
        ifMatch: 0,
      });

    // Warm-up (untimed): opens every pool connection, prepares statements, warms the JIT.
    await Promise.all(
      build(50, 864_000_000).map(async (items) => {
        for (const c of items) await run(c);
      }),
    );
    stored.length = 0;

    const plainTable = 'bench_plain_events';
    await sql`create table ${sql.table(plainTable)} (like es_events including defaults including constraints including indexes including identity)`.execute(
      database.db,
    );
    await sql`create table bench_plain_batched (like es_events including defaults including constraints including indexes including identity)`.execute(
      database.db,
    );
    type Row = {
      event_id: string;
      stream_id: string;
      version: string;
      type: string;
      schema_version: number;
      data: string;
      metadata: string;
      recorded_at: string;
      prev_hash: string;
      hash: string;
      mac: string;
    };
    const insertOne = (r: Row) =>
      database.prepared(
        'bench_plain_one',
        `insert into ${plainTable} (event_id, stream_id, version, type, schema_version, data, metadata, recorded_at, prev_hash, hash, mac) values ($1::uuid,$2,$3::bigint,$4,$5::int,$6::jsonb,$7::jsonb,$8::timestamptz,$9,$10,$11)`,
        [r.event_id, r.stream_id, r.version, r.type, r.schema_version, r.data, r.metadata, r.recorded_at, r.prev_hash, r.hash, r.mac],
      );
    const insertBatch = (batch: Row[]) =>
      database.db
        .withTables<{ bench_plain_batched: Database['es_events'] }>()
        .insertInto('bench_plain_batched')
        .values(batch.map((r) => ({ ...r, event_id: randomUUID(), data: sql`${r.data}::jsonb`, metadata: sql`${r.metadata}::jsonb` })))
        .execute();

    const cmd = new Phase();
    const cmdRead = new Phase();
    const plain = new Phase();
    const batched = new Phase();
    let rowsCopied = 0;
    await sql`checkpoint`.execute(database.db).catch(() => undefined);
    const busyBefore = await machineBusy();
    const loadBefore = os.loadavg();
    for (let round = 0; round < options.rounds; round++) {
      stored.length = 0;
      await cmd.run(build(perRound, round * perRound * options.writers), run);
      await cmdRead.run(build(perRound, (options.rounds + round) * perRound * options.writers), readFirst);
      // The rows this round's commands stored, as the store wrote them, for the baselines.
      const rows = (
        await sql<Row>`
          select event_id, stream_id, version, type, schema_version, coalesce(data_jcs, data::text) as data, metadata::text as metadata, recorded_at::text as recorded_at, prev_hash, hash, mac
          from es_events where event_id = any(${stored}::uuid[]) order by global_position`.execute(database.db)
      ).rows.map((r) => ({ ...r, event_id: randomUUID() }));
      rowsCopied += rows.length;
      const perWriterRows = workers.map((_, k) => rows.filter((_, i) => i % options.writers === k));
      await plain.run(perWriterRows, insertOne);
      const batches = perWriterRows.map((list) => Array.from({ length: Math.ceil(list.length / 100) }, (_, b) => list.slice(b * 100, b * 100 + 100)));
      await batched.run(batches, insertBatch, (b) => b.length);
      log(`round ${round + 1}/${options.rounds}: commands ${fmt(cmd.rate)}/s, plain ${fmt(plain.rate)}/s so far`);
    }
    const loadAfter = os.loadavg();
    const total = perRound * options.writers * options.rounds;

    // The data must be right, or the figures mean nothing.
    const problems: string[] = [];
    if (rowsCopied !== total) problems.push(`${rowsCopied} VisitRecorded events stored, ${total} commands ran`);
    const visits = await count(database.db, 'rm_visits');
    if (visits !== 2 * total + 50 * options.writers) problems.push(`rm_visits has ${visits} rows, expected ${2 * total + 50 * options.writers}`);
    if ((await count(database.db, plainTable)) !== rowsCopied) problems.push('the plain baseline lost rows');
    if ((await count(database.db, 'bench_plain_batched')) !== rowsCopied) problems.push('the batched baseline lost rows');
    const verify = await store.verify();
    if (verify.broken.length > 0) problems.push(`verify() found ${verify.broken.length} broken links`);

    const busy = (b: number | null) => (b === null ? '?' : `${Math.round(b * 100)} %${b > 0.15 ? ' !!' : ''}`);
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
    console.log('');
    console.log(
      `${fmt(total)} commands by ${options.writers} writers in ${options.rounds} interleaved rounds; machine busy before: ${busy(busyBefore)}; load average before: ${load(loadBefore)}, after: ${load(loadAfter)}`,
    );
    console.log('');
    console.log('| phase | rows/s | p50 ms | p99 ms |');
    console.log('|---|---:|---:|---:|');
    console.log(`| commands (decide, append VisitRecorded + inline projections) | ${fmt(cmd.rate)} | ${cmd.at(50).toFixed(2)} | ${cmd.at(99).toFixed(2)} |`);
    console.log(
      `| the same commands, stream read first (informational) | ${fmt(cmdRead.rate)} | ${cmdRead.at(50).toFixed(2)} | ${cmdRead.at(99).toFixed(2)} |`,
    );
    console.log(`| plain INSERT, one row a statement | ${fmt(plain.rate)} | ${plain.at(50).toFixed(2)} | ${plain.at(99).toFixed(2)} |`);
    console.log(`| plain INSERT, 100 rows a statement (informational) | ${fmt(batched.rate)} | ${batched.at(50).toFixed(2)} | ${batched.at(99).toFixed(2)} |`);
    console.log('');
    const ratio = cmd.rate / plain.rate;
    console.log(
      `commands / plain INSERT (one row a statement) = ${(ratio * 100).toFixed(1)} % (target >= ${TARGET * 100} %): ${ratio >= TARGET ? 'MET' : 'NOT MET'}`,
    );
    console.log(`commands / plain INSERT (100 rows a statement) = ${((cmd.rate / batched.rate) * 100).toFixed(1)} %`);
    console.log(
      `commands with the stream read first / plain INSERT (one row a statement) = ${((cmdRead.rate / plain.rate) * 100).toFixed(1)} % (informational)`,
    );
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
