/**
 * The county year loaded through HTTP (issue 20: "< 5 minutes on PostgreSQL, today 15"): every
 * chapter of the demo county, world and story, sent to the whole service on a real port through
 * its public REST API only, as the county's front ends would (8 requests in flight by default),
 * with the demo users' tokens; and in the same process a baseline, the same chapters through the application services
 * (what `npm run seed:demo` does) on a second fresh database, so the HTTP path is a ratio.
 *
 *   DATABASE_URL=postgres://…/empty_db npm run bench:load-http -- --scale county
 *   npm run bench:load-http                                   # PGlite in a fresh temporary DATA_DIR
 *   npm run bench:load-http -- --inflight 16 --scale sample --baseline-scale sample
 *
 * The database must hold no county (compose migrates it). On PostgreSQL the baseline's database
 * is created beside it (`<name>_baseline`) and dropped at the end. The service's clock follows
 * the county's year (see http-load/county-over-http.ts), then stands at the demo's today.
 * A script, not a test: it asserts nothing about time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import type { Role } from '../src/application/actor';
import { FixedClock } from '../src/application/clock';
import { START } from '../src/application/event-store';
import { openDatabaseForCli } from '../src/cli/open-database';
import { compose, type Service } from '../src/composition-root';
import { demoChapters } from '../src/demo/chapters/index';
import { DEMO_DATE } from '../src/demo/demo-time';
import { demoContext } from '../src/demo/seed';
import { DEFAULT_DEMO_SEED, DEMO_COUNTY_CODE } from '../src/demo/seed-constants';
import type { SqlDatabase } from '../src/storage/sql-database';
import { demoBenchConfig } from './demo-bench-config';
import { HTTP_CHAPTERS, loadCountyOverHttp, type HttpChapter } from './http-load/county-over-http';
import { HttpLoadClient } from './http-load/http-client';
import { runLoaderThread } from './http-load/loader-thread';
import { sampleServerCpu } from './http-load/server-cpu';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: 'tiny' },
    seed: { type: 'string', default: DEFAULT_DEMO_SEED },
    inflight: { type: 'string', default: '8' },
    port: { type: 'string', default: '3410' },
    'baseline-scale': { type: 'string' },
    /** The loader in the service's own thread, as before it had a thread of its own (to see what the client costs the service). */
    'same-thread': { type: 'boolean', default: false },
    /** Households and visits one request each (POST /households, POST /visits) instead of in batches. */
    single: { type: 'boolean', default: false },
    /** The last chapter to send (to measure the chapters up to it): all of them when absent. */
    until: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  console.log(`usage: npm run bench:load-http -- [--scale tiny|sample|county] [--seed S] [--inflight N] [--port P] [--baseline-scale tiny|sample|county|none]
  DATABASE_URL      an empty PostgreSQL database (else PGlite in a fresh temporary DATA_DIR)
  --scale           the county's size (default tiny)
  --seed            the generator's seed (default ${DEFAULT_DEMO_SEED})
  --inflight        requests in flight, as the front ends keep them (default 8)
  --port            the service's port (default 3410)
  --baseline-scale  the in-process baseline's size (default: --scale, but sample for county; none = no baseline)
  --same-thread     send the requests from the service's own thread (default: a thread of their own, as front ends are)
  --until CHAPTER   stop after this chapter (${HTTP_CHAPTERS.join(', ')}; those before it are sent too)
  --single          one POST /households a household and one POST /visits a visit (default: a village's survey of a day in
                    POST /households/batch, a worker's visits of a day in POST /visits/batch, as the station and the app send them)`);
  process.exit(0);
}
const SCALES = ['tiny', 'sample', 'county'] as const;
type Scale = (typeof SCALES)[number];
const scaleOf = (value: string, flag: string): Scale => {
  if (!(SCALES as readonly string[]).includes(value)) {
    console.error(`${flag} must be one of ${SCALES.join(', ')}`);
    process.exit(2);
  }
  return value as Scale;
};
const scale = scaleOf(args.scale, '--scale');
const inflight = Number(args.inflight);
if (!Number.isInteger(inflight) || inflight < 1) {
  console.error('--inflight must be a whole number ≥ 1');
  process.exit(2);
}
const until = args.until as HttpChapter | undefined;
if (until !== undefined && !(HTTP_CHAPTERS as readonly string[]).includes(until)) {
  console.error(`--until must be one of ${HTTP_CHAPTERS.join(', ')}`);
  process.exit(2);
}
const baselineScale = args['baseline-scale'] === 'none' ? null : scaleOf(args['baseline-scale'] ?? (scale === 'county' ? 'sample' : scale), '--baseline-scale');
const port = Number(args.port);

interface ChapterFigures {
  chapter: HttpChapter;
  requests: number;
  events: number;
  ms: number;
}

/** A service on a fresh database: PostgreSQL at `url`, or PGlite in a temporary DATA_DIR. */
async function freshService(url: string | undefined, clock: FixedClock): Promise<{ service: Service; close(): Promise<void> }> {
  const dataDir = url ? null : mkdtempSync(join(os.tmpdir(), 'bench-load-http-'));
  const config = demoBenchConfig({ ...process.env, ...(url ? { DATABASE_URL: url } : { DATABASE_URL: '', DATA_DIR: dataDir! }) });
  const database: SqlDatabase | null = url ? null : await openDatabaseForCli(config, 'npm run bench:load-http');
  const service = await compose(config, { clock, ...(database ? { database } : {}) });
  await service.start();
  const households = Number((await sql<{ n: string }>`select count(*) as n from rm_households`.execute(service.deps.database.db)).rows[0]!.n);
  if (households > 0) {
    await service.stop();
    throw new Error('the database already holds a county: give an empty one (createdb …) so the load starts from nothing');
  }
  return {
    service,
    async close() {
      await service.stop();
      await database?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The baseline's PostgreSQL database beside the loaded one, created empty and dropped at the end. */
async function baselineDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const target = new URL(url);
  const name = `${target.pathname.slice(1)}_baseline`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`drop database if exists "${name}"`);
  await client.query(`create database "${name}"`);
  await client.end();
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

/** The CPU seconds of this process's main thread (the service's; Linux /proc), or null elsewhere. */
function mainThreadCpu(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const countyDay = (day: string) => `${day}T01:00:00.000Z`; // 09:00 in the county

// ── the load over HTTP ──────────────────────────────────────────────────────
const databaseUrl = process.env.DATABASE_URL || undefined;
const clock = new FixedClock(new Date(countyDay('2023-01-01')));
const loaded = await freshService(databaseUrl, clock);
const { service } = loaded;
const store = service.deps.store;
const address = await service.app.listen({ port, host: '127.0.0.1' });
const figures: ChapterFigures[] = [];
let eventsBefore = await store.countAfter(START);
const loadBefore = os.loadavg()[0]!.toFixed(1);
const cpuBefore = process.cpuUsage();
const mainBefore = mainThreadCpu();
const serverCpu = databaseUrl ? sampleServerCpu(service.deps.database.db) : null;
const started = Date.now();
try {
  const side = {
    sign: (sub: string, role: Role) => service.app.jwt.sign({ sub, role }),
    setToday: (day: string) => clock.set(countyDay(day)),
    afterChapter: async (chapter: HttpChapter, requests: number, ms: number) => {
      const events = await store.countAfter(START);
      figures.push({ chapter, requests, events: events - eventsBefore, ms });
      eventsBefore = events;
      process.stderr.write(`${chapter}: ${requests} requests, ${(ms / 1000).toFixed(1)} s\n`);
    },
    log: (line: string) => void process.stderr.write(`${line}\n`),
  };
  const writes = args.single ? 'single' : 'batch';
  if (args['same-thread']) await loadCountyOverHttp({ client: new HttpLoadClient(address, inflight), scale, seed: args.seed, writes, until, ...side });
  else await runLoaderThread({ baseUrl: address, inflight, scale, seed: args.seed, writes, ...(until ? { until } : {}) }, side);
} catch (error) {
  await loaded.close();
  throw error;
}
const wallMs = Date.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const mainAfter = mainThreadCpu();
const serviceThread = mainBefore !== null && mainAfter !== null ? mainAfter - mainBefore : null;
const serverSeconds = await serverCpu?.stop();
const loadAfter = os.loadavg()[0]!.toFixed(1);
clock.set(countyDay(DEMO_DATE));
await loaded.close();

// ── the baseline: the same chapters through the application services, in this process ──
const baseline: { chapter: string; events: number; ms: number }[] = [];
if (baselineScale) {
  process.stderr.write(`baseline: the same chapters in-process at --scale ${baselineScale}…\n`);
  const beside = databaseUrl ? await baselineDatabase(databaseUrl) : null;
  const base = await freshService(beside?.url, new FixedClock(new Date(countyDay(DEMO_DATE))));
  try {
    const ctx = demoContext(base.service, {
      scale: baselineScale,
      seed: args.seed,
      countyCode: DEMO_COUNTY_CODE,
      inFlight: inflight,
      progress: () => undefined,
    });
    let before = await base.service.deps.store.countAfter(START);
    const sent = until ? HTTP_CHAPTERS.slice(0, HTTP_CHAPTERS.indexOf(until) + 1) : HTTP_CHAPTERS;
    for (const chapter of demoChapters.filter((c) => (sent as readonly string[]).includes(c.name))) {
      const t0 = Date.now();
      await chapter.run(ctx);
      const after = await base.service.deps.store.countAfter(START);
      baseline.push({ chapter: chapter.name, events: after - before, ms: Date.now() - t0 });
      before = after;
    }
  } finally {
    await base.close();
    await beside?.drop();
  }
}

// ── the figures ─────────────────────────────────────────────────────────────
const num = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const perSecond = (n: number, ms: number) => (ms > 0 ? (1000 * n) / ms : 0);
const totalEvents = figures.reduce((a, f) => a + f.events, 0);
const totalRequests = figures.reduce((a, f) => a + f.requests, 0);
console.log(
  `\nbench:load-http — ${databaseUrl ? 'PostgreSQL' : 'PGlite'}, --scale ${scale}, seed ${args.seed}, ${inflight} requests in flight from ${args['same-thread'] ? "the service's own thread" : 'a thread of their own'}; ` +
    `load average ${loadBefore} → ${loadAfter}; this process's CPU ${num((cpu.user + cpu.system) / 1e6, 1)} s (user ${num(cpu.user / 1e6, 1)}, system ${num(cpu.system / 1e6, 1)}` +
    (serviceThread !== null ? `; the service's thread ${num(serviceThread, 1)} s` : '') +
    ')' +
    (serverSeconds != null ? `; PostgreSQL backends of this database ${num(serverSeconds, 1)} s CPU` : ''),
);
console.log(`| chapter | requests | events | wall s | req/s | events/s | in-process events/s (${baselineScale ?? '—'}) | HTTP / in-process |`);
console.log('|---|--:|--:|--:|--:|--:|--:|--:|');
const ratioOf = (httpRate: number, baseRate: number | undefined) => (baseRate ? `${num((100 * httpRate) / baseRate, 1)} %` : '—');
for (const f of figures) {
  const b = baseline.find((x) => x.chapter === f.chapter);
  const rate = perSecond(f.events, f.ms);
  const baseRate = b ? perSecond(b.events, b.ms) : undefined;
  console.log(
    `| ${f.chapter} | ${num(f.requests)} | ${num(f.events)} | ${num(f.ms / 1000, 1)} | ${num(perSecond(f.requests, f.ms), 1)} | ${num(rate, 1)} | ${baseRate === undefined ? '—' : num(baseRate, 1)} | ${ratioOf(rate, baseRate)} |`,
  );
}
const baseEvents = baseline.reduce((a, b) => a + b.events, 0);
const baseMs = baseline.reduce((a, b) => a + b.ms, 0);
const rate = perSecond(totalEvents, wallMs);
console.log(
  `| **total** | ${num(totalRequests)} | ${num(totalEvents)} | ${num(wallMs / 1000, 1)} | ${num(perSecond(totalRequests, wallMs), 1)} | ${num(rate, 1)} | ${baseline.length ? num(perSecond(baseEvents, baseMs), 1) : '—'} | ${ratioOf(rate, baseline.length ? perSecond(baseEvents, baseMs) : undefined)} |`,
);
if (baseline.length) console.log(`baseline: ${num(baseEvents)} events in ${num(baseMs / 1000, 1)} s through the application services, ${inflight} in flight`);
console.log(`target (issue 20): the county year through HTTP in < 300 s on PostgreSQL; this run: ${num(wallMs / 1000, 1)} s at --scale ${scale}`);
