/**
 * HTTP benchmark (issue 20): the bureau's reads and the front ends' writes against the demo
 * county, through the whole service on a real port, with autocannon; and in the same run a bare
 * fastify + pg route that inserts one row, so that the service's command throughput is a ratio.
 *
 *   DATABASE_URL=postgres://…/db npm run bench:http                 # PostgreSQL holding the demo county
 *   DATA_DIR=/tmp/demo npm run bench:http                            # PGlite (the data dir of DEMO=1 npm start)
 *   npm run bench:http -- --duration 20 --connections 10 --scale sample
 *
 * An empty database is first loaded with the demo county at `--scale` (tiny by default; the
 * figures are only meaningful at sample or county scale). Tokens are the demo users' (the
 * `npm run token -- --demo` code), signed by the service in this process. The service runs with
 * the demo clock (DEMO=1: the county's "today" is 2023-12-20), generous rate limits and warn
 * logs. A script, not a test: it asserts nothing about time.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import type { Role } from '../src/application/actor';
import { compose } from '../src/composition-root';
import { findDemoUsers } from '../src/demo/demo-users';
import { DEMO_DATE } from '../src/demo/demo-time';
import { NationalIdAllocator } from '../src/demo/national-ids';
import { encodeCursor } from '../src/application/pagination';
import { runDemoSeed } from '../src/demo/seed';
import { openDatabaseForCli } from '../src/cli/open-database';
import { demoBenchConfig } from './demo-bench-config';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    /** Connections of the second pass over POST /visits and the bare route (the drop from 10 to 50). */
    'more-connections': { type: 'string', default: '50' },
    scale: { type: 'string', default: 'tiny' },
    port: { type: 'string', default: '3100' },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  console.log(`usage: npm run bench:http -- [--duration S] [--connections N] [--more-connections N] [--scale tiny|sample|county] [--port P] [--only name,…]
  DATABASE_URL   PostgreSQL holding the demo county (else PGlite under DATA_DIR)
  --duration     seconds per endpoint (default 5)
  --connections  autocannon connections (default 10)
  --more-connections  a second pass over POST /visits and the bare route with this many (default 50; 0 = none)
  --scale        what to load first when the database holds no households (default tiny)
  --port         the service's port; the bare route listens on the next one (default 3100)
  --only         comma-separated endpoint names to run (default all)`);
  process.exit(0);
}
const duration = Number(args.duration);
const connections = Number(args.connections);
const moreConnections = Number(args['more-connections']);
const port = Number(args.port);
const scale = args.scale as 'tiny' | 'sample' | 'county';
const only = args.only ? new Set(args.only.split(',')) : null;

const config = demoBenchConfig();
const onPostgres = !!config.DATABASE_URL;
const database = onPostgres ? null : await openDatabaseForCli(config, 'npm run bench:http');
const service = await compose(config, database ? { database } : {});
// Requests the service is still working on: autocannon stops waiting at the end of its run, the
// service does not, so the next endpoint waits until the last one's requests have been answered.
let inFlight = 0;
// The raw response's `close` fires once whether the reply was sent or the client went away
// (autocannon drops its connections at the end of a run; fastify's onResponse never fires then).
service.app.addHook('onRequest', async (_request, reply) => {
  inFlight++;
  reply.raw.once('close', () => void inFlight--);
});
const idle = async (limitMs = 120_000) => {
  const until = Date.now() + limitMs;
  while (inFlight > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
};
await service.start();
const db = service.deps.database.db;

// ── the county: load it when empty ─────────────────────────────────────────
const households = Number((await sql<{ n: string }>`select count(*) as n from rm_households`.execute(db)).rows[0]!.n);
if (households === 0) {
  process.stderr.write(`empty database: loading the demo county at --scale ${scale}…\n`);
  await runDemoSeed(service, { scale });
  await sql`analyze`.execute(db);
}
const address = await service.app.listen({ port, host: '127.0.0.1' });
const users = await findDemoUsers(db, DEMO_DATE);
const tokenOf = (role: Role) => {
  const user = users.find((u) => u.role === role);
  if (!user) throw new Error(`no demo ${role} in this county`);
  return { sub: user.sub, token: service.app.jwt.sign({ sub: user.sub, role }) };
};
const admin = tokenOf('admin');
const evaluator = tokenOf('evaluator');
const village = tokenOf('village_worker');
const auth = (t: { token: string }) => ({ authorization: `Bearer ${t.token}`, 'content-type': 'application/json' });

// What the writes and the name search need from the county.
const today = (await sql<{ d: string }>`select ${DEMO_DATE}::text as d`.execute(db)).rows[0]!.d;
const villageHouseholds = (
  await sql<{ id: string }>`
    select h.id from rm_households h join rm_group_responsibilities r on r.group_id = h.group_id
    where r.worker_id = ${village.sub}::uuid and r.from_date <= ${today}::date and (r.to_date is null or r.to_date > ${today}::date)
    order by h.id limit 500`.execute(db)
).rows.map((r) => r.id);
const groups = (await sql<{ id: string }>`select id from rm_groups where status = 'active' order by code limit 200`.execute(db)).rows.map((r) => r.id);
const openCases = (
  await sql<{
    id: string;
  }>`select id from rm_cases where status in ('accepted', 'investigating', 'returned', 'emergency_granted') order by id limit 500`.execute(db)
).rows.map((r) => r.id);
const surname =
  (await sql<{ name: string }>`select name from rm_household_members order by household_id limit 1`.execute(db)).rows[0]?.name.slice(0, 1) ?? '李';

// Pages and searches no one has asked for yet (issue 20: the households search keeps a caller's
// page until the log moves, so the two reads above are answered from it after their first
// request; these two measure the pages as computed): a cursor after a household picked by its
// hash, and a surname, rotated per request.
const pageCursors = (await sql<{ id: string }>`select id from rm_households order by md5(id::text) limit 5000`.execute(db)).rows.map((r) =>
  encodeCursor({ id: r.id }),
);
const surnames = (await sql<{ s: string }>`select distinct left(name, 1) as s from rm_household_members order by 1 limit 100`.execute(db)).rows.map((r) => r.s);

// The drill-downs (issue 20): one village's groups, one decision, one worker's facts behind a metric.
const firstVillage = (await sql<{ id: string }>`select id from rm_villages order by code limit 1`.execute(db)).rows[0]?.id;
const firstDecision = (await sql<{ id: string }>`select id from rm_decisions order by decision_date, id limit 1`.execute(db)).rows[0]?.id;
// The metric with the most facts behind it on the sheet (read once here, as the sheet warmer would).
const sheet = (
  await service.app.inject({ method: 'GET', url: '/api/v1/performance?period=2023-H2', headers: { authorization: `Bearer ${evaluator.token}` } })
).json<{ items?: { workerId: string; metrics: { key: string; evidenceCount?: number }[] }[] }>();
const heaviest = (sheet.items ?? [])
  .flatMap((w) => w.metrics.map((m) => ({ workerId: w.workerId, metric: m.key, n: m.evidenceCount ?? 0 })))
  .sort((a, b) => b.n - a.n)[0];

// ── the bare route: fastify + pg (or the same PGlite), one INSERT a request ─
const bare = Fastify({ logger: false });
const barePool = onPostgres ? new pg.Pool({ connectionString: config.DATABASE_URL!, max: config.DB_POOL_SIZE }) : null;
await sql`create table if not exists bench_http_bare (id uuid primary key, worker_id uuid not null, day date not null, body jsonb not null, at timestamptz not null default now())`.execute(
  db,
);
bare.post('/bare', async (request, reply) => {
  const body = request.body as { workerId: string; date: string };
  const values = [randomUUID(), body.workerId, body.date, JSON.stringify(request.body)];
  const text = 'insert into bench_http_bare (id, worker_id, day, body) values ($1, $2, $3, $4)';
  if (barePool) await barePool.query({ name: 'bench_http_bare', text, values });
  else
    await sql`insert into bench_http_bare (id, worker_id, day, body) values (${values[0]}::uuid, ${values[1]}::uuid, ${values[2]}::date, ${values[3]}::jsonb)`.execute(
      db,
    );
  return reply.status(201).send({ id: values[0] });
});
const bareAddress = await bare.listen({ port: port + 1, host: '127.0.0.1' });

// ── the endpoints ─────────────────────────────────────────────────────────
interface Endpoint {
  name: string;
  title: string;
  url: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  /** A fresh body per request (writes). */
  body?: () => object;
  connections?: number;
}
const ids = new NationalIdAllocator('530626', 700, 899);
let seq = 0;
const rotate = <T>(items: readonly T[]) => items[seq++ % items.length]!;
const visitBody = () => ({ householdId: rotate(villageHouseholds), date: today, kind: 'routine', findings: '例行走访，情况稳定', followUpActions: [] });
const endpoints: Endpoint[] = [
  { name: 'overdue-admin', title: 'GET /schedule/overdue (admin)', url: '/api/v1/schedule/overdue', headers: auth(admin) },
  { name: 'overdue-village', title: 'GET /schedule/overdue (village worker)', url: '/api/v1/schedule/overdue', headers: auth(village) },
  { name: 'due-7d', title: 'GET /schedule/due?within=7d (admin)', url: '/api/v1/schedule/due?within=7d', headers: auth(admin) },
  { name: 'performance', title: 'GET /performance?period=2023-H2', url: '/api/v1/performance?period=2023-H2', headers: auth(evaluator) },
  { name: 'performance-csv', title: 'GET /performance.csv?period=2023-H2', url: '/api/v1/performance.csv?period=2023-H2', headers: auth(evaluator) },
  { name: 'coverage', title: 'GET /coverage', url: '/api/v1/coverage', headers: auth(admin) },
  { name: 'households', title: 'GET /households?limit=50', url: '/api/v1/households?limit=50', headers: auth(admin) },
  { name: 'households-name', title: 'GET /households?name=…', url: `/api/v1/households?limit=50&name=${encodeURIComponent(surname)}`, headers: auth(admin) },
  {
    name: 'households-pages',
    title: 'GET /households?limit=50&cursor=… (a new page each request)',
    url: '/api/v1/households?limit=50&cursor={cursor}',
    headers: auth(admin),
  },
  {
    name: 'households-name-pages',
    title: 'GET /households?name=…&cursor=… (a new search each request)',
    url: '/api/v1/households?limit=50&name={surname}&cursor={cursor}',
    headers: auth(admin),
  },
  { name: 'caseload', title: 'GET /workers/{id}/caseload', url: `/api/v1/workers/${village.sub}/caseload`, headers: auth(admin) },
  { name: 'decisions', title: 'GET /decisions?limit=50', url: '/api/v1/decisions?limit=50', headers: auth(admin) },
  { name: 'community', title: 'GET /community/summary', url: '/api/v1/community/summary', headers: auth(admin) },
  ...(firstVillage
    ? [{ name: 'coverage-village', title: 'GET /coverage?village=… (drill-down)', url: `/api/v1/coverage?village=${firstVillage}`, headers: auth(admin) }]
    : []),
  ...(firstDecision
    ? [{ name: 'decision', title: 'GET /decisions/{id} (one decision)', url: `/api/v1/decisions/${firstDecision}`, headers: auth(admin) }]
    : []),
  ...(heaviest
    ? [
        {
          name: 'performance-evidence',
          title: `GET /performance/2023-H2/workers/{id}/metrics/${heaviest.metric}/evidence (${heaviest.n} facts, first page)`,
          url: `/api/v1/performance/2023-H2/workers/${heaviest.workerId}/metrics/${heaviest.metric}/evidence`,
          headers: auth(evaluator),
        },
        // A period whose scores the committee has published (the demo publishes 2023-H1): the sheet and
        // the drill-down answer from the publication, the frozen record, not from the counters.
        {
          name: 'performance-published',
          title: 'GET /performance?period=2023-H1 (published)',
          url: '/api/v1/performance?period=2023-H1',
          headers: auth(evaluator),
        },
        {
          name: 'performance-published-evidence',
          title: `GET /performance/2023-H1/workers/{id}/metrics/${heaviest.metric}/evidence (published, first page)`,
          url: `/api/v1/performance/2023-H1/workers/${heaviest.workerId}/metrics/${heaviest.metric}/evidence`,
          headers: auth(evaluator),
        },
      ]
    : []),
  {
    name: 'register',
    title: 'POST /households',
    url: '/api/v1/households',
    method: 'POST',
    headers: auth(admin),
    body: () => ({
      groupId: rotate(groups),
      incomeStability: 'stable',
      members: [
        { name: '测试户主', idNumber: ids.next(`19${50 + (seq % 40)}-0${1 + (seq % 9)}-1${seq % 10}`, 'male'), relation: 'head', labourCapacity: 'full' },
      ],
    }),
  },
  { name: 'visit', title: 'POST /visits (village worker)', url: '/api/v1/visits', method: 'POST', headers: auth(village), body: visitBody },
  {
    name: 'case-step',
    title: 'POST /cases/{id}/neighbour-interviews',
    url: '/api/v1/cases/{case}/neighbour-interviews',
    method: 'POST',
    headers: auth(admin),
    body: () => ({ on: today, interviewee: '邻居', summary: '情况属实' }),
  },
  {
    name: 'bare',
    title: 'bare fastify + pg: INSERT one row',
    url: `${bareAddress}/bare`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: () => ({ ...visitBody(), workerId: village.sub }),
  },
];
if (moreConnections > 0) {
  for (const name of ['visit', 'bare']) {
    const e = endpoints.find((x) => x.name === name)!;
    endpoints.push({ ...e, name: `${name}-${moreConnections}`, title: `${e.title} at ${moreConnections} connections`, connections: moreConnections });
  }
}

interface Figures {
  name: string;
  title: string;
  connections: number;
  p50: number;
  p99: number;
  rps: number;
  bytes: number;
  /** Responses that were not 2xx, by status (`429×28`). */
  statuses: string;
  errors: number;
  /** Sessions active on average by what they wait on (PostgreSQL, writes only). */
  waits: string;
}
/**
 * PostgreSQL only: what the server's sessions of this database wait on while the writes run
 * (pg_stat_activity sampled every 50 ms), to find what makes more connections slower.
 */
function sampleWaits(): () => Promise<string> {
  if (!barePool) return async () => '';
  const seen = new Map<string, number>();
  let samples = 0;
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = sampling.then(async () => {
      const rows = await barePool.query<{ w: string; n: string }>(
        `select coalesce(wait_event_type || ':' || wait_event, 'CPU') as w, count(*) as n from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and state = 'active' group by 1`,
      );
      samples++;
      for (const r of rows.rows) seen.set(r.w, (seen.get(r.w) ?? 0) + Number(r.n));
    });
  }, 50);
  return async () => {
    clearInterval(timer);
    await sampling;
    return [...seen]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([w, n]) => `${w} ${(n / Math.max(1, samples)).toFixed(1)}`)
      .join(', ');
  };
}

/** An endpoint's URL with a fresh case, page cursor or surname per request. */
const fill = (url: string) =>
  url
    .replace('{case}', () => rotate(openCases))
    .replace('{cursor}', () => rotate(pageCursors))
    .replace('{surname}', () => encodeURIComponent(rotate(surnames)));
const pathOf = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

async function run(e: Endpoint): Promise<Figures> {
  const url = e.url.startsWith('http') ? e.url : `${address}${e.url}`;
  const waits = e.method === 'POST' ? sampleWaits() : null;
  const result = await autocannon({
    url,
    connections: e.connections ?? connections,
    duration,
    method: e.method ?? 'GET',
    headers: e.headers,
    requests: [
      {
        setupRequest: (req) => {
          const path = /\{(case|cursor|surname)\}/.test(e.url) ? pathOf(fill(url)) : undefined;
          return { ...req, ...(path ? { path } : {}), ...(e.body ? { body: JSON.stringify(e.body()) } : {}) };
        },
      },
    ],
  });
  const total = result.requests.total || 1;
  const waited = (await waits?.()) ?? '';
  return {
    waits: waited,
    name: e.name,
    title: e.title,
    connections: e.connections ?? connections,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // Answered requests a second, 2xx only: a route that sheds load (429) does not count its refusals.
    rps: (result.requests.total - result.non2xx) / result.duration,
    bytes: Math.round(result.throughput.total / total),
    statuses: Object.entries(result.statusCodeStats ?? {})
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, v]) => `${code}×${v.count ?? 0}`)
      .join(' '),
    errors: result.errors + result.timeouts,
  };
}

const figures: Figures[] = [];
const cpuBefore = process.cpuUsage();
const loadBefore = os.loadavg()[0]!.toFixed(1);
try {
  for (const e of endpoints) {
    if (only && !only.has(e.name) && !only.has(e.name.replace(/-\d+$/, ''))) continue;
    if (e.name === 'case-step' && openCases.length === 0) {
      process.stderr.write('no open case to record interviews on: case-step skipped\n');
      continue;
    }
    await idle();
    process.stderr.write(`${e.title} …\n`);
    figures.push(await run(e));
  }
} finally {
  await bare.close();
  await barePool?.end();
  await sql`drop table if exists bench_http_bare`.execute(db);
  await service.stop();
  await database?.close();
}

const cpu = process.cpuUsage(cpuBefore);
const num = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log(
  `\nbench:http — ${onPostgres ? 'PostgreSQL' : 'PGlite'}, ${num(households || 0)} households before the run, ${duration} s an endpoint, service pool ${config.DB_POOL_SIZE}; load average ${loadBefore} → ${os.loadavg()[0]!.toFixed(1)}; this process's CPU ${num((cpu.user + cpu.system) / 1e6, 1)} s`,
);
console.log('| endpoint | conns | p50 ms | p99 ms | 2xx/s | bytes/response | not 2xx | errors |');
console.log('|---|--:|--:|--:|--:|--:|--:|--:|');
for (const f of figures)
  console.log(`| ${f.title} | ${f.connections} | ${num(f.p50)} | ${num(f.p99)} | ${num(f.rps, 1)} | ${num(f.bytes)} | ${f.statuses || '—'} | ${f.errors} |`);
const ratio = (service: string, base: string) => {
  const s = figures.find((f) => f.name === service);
  const b = figures.find((f) => f.name === base);
  if (s && b && b.rps > 0) console.log(`${s.title} / ${b.title}: ${num((100 * s.rps) / b.rps, 1)} % (target ≥ 50 %)`);
};
ratio('visit', 'bare');
if (moreConnections > 0) ratio(`visit-${moreConnections}`, `bare-${moreConnections}`);
const step = figures.find((f) => f.name === 'case-step');
if (step) console.log(`case step: ${num(step.rps, 1)} req/s (target ≥ 100)`);
const waited = figures.filter((f) => f.waits);
if (waited.length) {
  console.log('\nactive server sessions of this database during the writes, on average, by wait event (CPU = none):');
  for (const f of waited) console.log(`  ${f.title}${f.connections !== connections ? '' : ` (${f.connections} connections)`}: ${f.waits}`);
}
