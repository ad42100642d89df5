/**
 * Availability under heavy auditor work (issue 13, finding 9; issue 20): /health latency and the
 * longest event-loop stall (perf_hooks.monitorEventLoopDelay) while clients run audit work over a
 * log of N events, on PostgreSQL (TEST_DATABASE_URL) or PGlite (--pglite).
 *
 *   npx tsx bench/health-under-verify.bench.ts [--pglite] [--events 40000] [--seconds 15] [--mix [--only verify,replay,ledger,export,import]] [--timing]
 *
 * Default: four clients call GET /audit/verify, each again as soon as it is answered (200, or 429
 * busy: at most one verify runs per process). --mix (issue 20): at once a verify client, a replay
 * client, a ledger audit run (POST /audit/runs, polled), a decisions export and a geography import.
 * On PGlite the database runs in its worker thread, as the service runs it (PGLITE_THREAD=main: on
 * this thread, as the tests run it).
 * --only verify,replay,…: only those clients of the mix (to see which one holds the event loop).
 * AUDIT_RUN_BATCH_SIZE=N: the ledger run's page of events, as the service's setting of that name.
 * --timing: first, one run at a time, the whole-log chain verify and the full and incremental
 * ledger runs, with wall and CPU time (process.cpuUsage) and the load average.
 * /health is called every 10 ms throughout.
 *
 * A script, not a test: it prints figures, it asserts nothing about time.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { runLedgerVerify } from '../src/application/ledger/ledger-run';
import { verifyDatabase } from '../src/cli/audit-verify';
import { publicKeyFromPem } from '../src/application/ledger/signing-key';
import { START } from '../src/application/event-store';
import { ledgerStore } from '../src/storage/ledger-store';
import { buildWorkload } from './workload';
import { bearer, startTestApp } from '../tests/support/test-app';

const { values } = parseArgs({
  options: {
    pglite: { type: 'boolean', default: false },
    events: { type: 'string', default: '40000' },
    seconds: { type: 'string', default: '15' },
    mix: { type: 'boolean', default: false },
    /** With --mix: only these of its clients (verify, replay, ledger, export, import), to find which one stalls. */
    only: { type: 'string' },
    timing: { type: 'boolean', default: false },
  },
});
/** The clients of --mix, in the order they start. */
const MIX_CLIENTS = ['verify', 'replay', 'ledger', 'export', 'import'] as const;
// Checked before a minute of seeding, not after it.
type MixClient = (typeof MIX_CLIENTS)[number];
const isMixClient = (name: string): name is MixClient => (MIX_CLIENTS as readonly string[]).includes(name);
if (values.only && !values.mix) throw new Error('--only picks clients of --mix: give --mix too');
const named = values.only ? values.only.split(',') : [...MIX_CLIENTS];
const unknownClient = named.find((name) => !isMixClient(name));
if (unknownClient) throw new Error(`--only: no client ${unknownClient} (${MIX_CLIENTS.join(', ')})`);
const chosen = named.filter(isMixClient);
const events = Number(values.events);
const seconds = Number(values.seconds);
const backend = values.pglite ? 'PGlite' : 'PostgreSQL';
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// PGlite where the service runs it, in its worker thread (the tests' app keeps it on this thread
// unless told): on this thread every statement's work is a stall of the event loop measured here
// (a geography import's 764 ms at a county's size), which the service does not have.
// PGLITE_THREAD=main measures the other arrangement.
if (values.pglite) process.env.PGLITE_THREAD ??= 'worker';
const t = await startTestApp({
  backend: values.pglite ? 'pglite' : 'postgres',
  env: { AUDIT_RUNS_MAX: '2', ...(process.env.AUDIT_RUN_BATCH_SIZE ? { AUDIT_RUN_BATCH_SIZE: process.env.AUDIT_RUN_BATCH_SIZE } : {}) },
});
const store = t.service.deps.store;
const started = performance.now();
// In a function of its own, so that the log's events built here (hundreds of MB at a county's size)
// are garbage once appended: kept alive, every young-generation GC of the measured window walked
// a heap of 600 MB that the service would not have, and stalled the event loop for it.
async function seed() {
  const workload = buildWorkload({ type: 'BenchVisitRecorded', events, writers: 1, batch: 100, streamEvents: 100 });
  for (const b of workload.perWriter[0]!) await store.append(`bench-${b.streamId}`, b.events, b.expected === 0 ? 'no_stream' : b.expected);
}
await seed();
console.log(`seeded ${events} events in ${((performance.now() - started) / 1000).toFixed(1)} s (${backend})`);
/** Waits until the ledger has sealed every event, then signs a head over them. */
async function sealEverything() {
  const total = await store.countAfter(START);
  while ((await ledgerStore.sealedSize(t.database.db)) < total) await new Promise((res) => setTimeout(res, 100));
  await t.service.ledger.sealHeadNow();
}
// The ledger seals them (heads every 1,000 events) before anything is measured.
await sealEverything();

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

/** Wall and CPU time of one piece of work, alone. */
async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await work();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  stalls.disable();
  console.log(
    `${label.padEnd(34)} wall ${(wall / 1000).toFixed(2)} s, CPU (this process) user ${(cpu.user / 1e6).toFixed(2)} s + sys ${(cpu.system / 1e6).toFixed(2)} s, ` +
      `longest event-loop stall ${(stalls.max / 1e6).toFixed(0)} ms, load ${load()}`,
  );
  return result;
}

if (values.timing) {
  const publicKey = publicKeyFromPem(t.service.ledger.publicKey().publicKeyPem);
  const ledgerRun = (mode: 'full' | 'incremental') =>
    runLedgerVerify({ db: t.database.db, store, ledger: ledgerStore, publicKey, runId: randomUUID(), mode, batchSize: 2000 });
  const head = (await ledgerStore.latestHead(t.database.db))!;
  const audit = await timed('ledger audit (audit:verify)', () => verifyDatabase(t.database, head, publicKey));
  console.log(`  ${audit.logSize} events, ${audit.storedHeads.checked} heads, ok=${audit.ok}`);
  const chains = await timed('chain verify (whole log)', () => store.verify());
  console.log(`  ${chains.eventsChecked} events, ${chains.streamsChecked} streams, ${chains.broken.length} broken`);
  const full = await timed('ledger run, full', () => ledgerRun('full'));
  console.log(`  ${full.eventsRead} events read, ${full.headsChecked} heads checked, ok=${full.ok}`);
  // A day's worth of new events (2 %), then the incremental run reads only those.
  const day = buildWorkload({ type: 'BenchVisitRecorded', events: Math.max(100, Math.round(events / 50)), writers: 1, batch: 100, streamEvents: 100 });
  for (const b of day.perWriter[0]!) await store.append(`bench-day-${b.streamId}`, b.events, b.expected === 0 ? 'no_stream' : b.expected);
  await sealEverything();
  const incremental = await timed('ledger run, incremental', () => ledgerRun('incremental'));
  console.log(
    `  ${incremental.eventsRead} events read (resumed at ${incremental.resumedFrom?.treeSize}, head ${incremental.target?.treeSize}), consistency ok=${incremental.consistency?.ok}, ok=${incremental.ok}`,
  );
}

// BENCH_PORT: a port of one's own on a shared machine (default: any free port).
const address = await t.app.listen({ port: Number(process.env.BENCH_PORT ?? 0), host: '127.0.0.1' });
const auditor = bearer(t.token('auditor'));
const admin = bearer(t.token('admin'));
let until = Date.now() + 3000;
const pause = (ms: number) => new Promise((res) => setTimeout(res, ms));

type Tally = { ok: number; busy: number; other: number; ms: number[] };
const tallies: Record<string, Tally> = {};
const tally = (name: string) => (tallies[name] ??= { ok: 0, busy: 0, other: 0, ms: [] });

/** Calls one endpoint again and again; a 429 waits a little (a polite client). */
async function client(name: string, call: () => Promise<Response>) {
  const s = tally(name);
  while (Date.now() < until) {
    const t0 = performance.now();
    const r = await call();
    await r.arrayBuffer();
    if (r.status === 200 || r.status === 202) {
      s.ok++;
      s.ms.push(performance.now() - t0);
    } else if (r.status === 429) {
      s.busy++;
      await pause(200);
    } else {
      s.other++;
      await pause(200);
    }
  }
}

/** POST /audit/runs, then poll the run until it has finished. */
async function auditRunClient() {
  const s = tally('ledger audit run (full)');
  while (Date.now() < until) {
    const t0 = performance.now();
    const r = await fetch(`${address}/api/v1/audit/runs`, {
      method: 'POST',
      headers: { ...auditor, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'ledger', mode: 'full' }),
    });
    const body = (await r.json()) as { id?: string; state?: string };
    if (r.status !== 202) {
      s[r.status === 429 ? 'busy' : 'other']++;
      await pause(500);
      continue;
    }
    let state = body.state;
    while (state === 'running') {
      await pause(250);
      state = ((await (await fetch(`${address}/api/v1/audit/runs/${body.id}`, { headers: auditor })).json()) as { state: string }).state;
    }
    s[state === 'succeeded' ? 'ok' : 'other']++;
    s.ms.push(performance.now() - t0);
  }
}

let importNo = 0;
/** A town with 20 villages of 10 groups each: 221 rows, new codes every time. */
function importRows() {
  const town = `530${String(600 + (importNo++ % 400)).padStart(3, '0')}${String(100 + Math.floor(importNo / 400)).padStart(3, '0')}`;
  const rows: Array<Record<string, string>> = [{ kind: 'town', code: town, name: `镇${importNo}` }];
  for (let v = 1; v <= 20; v++) {
    const village = `${town}${String(200 + v)}`;
    rows.push({ kind: 'village', code: village, name: `村${importNo}-${v}`, parent_code: town, village_kind: 'village' });
    for (let g = 1; g <= 10; g++) rows.push({ kind: 'group', code: `${village}${String(g).padStart(3, '0')}`, name: `组${g}`, parent_code: village });
  }
  return rows;
}

const health: number[] = [];
async function prober() {
  while (Date.now() < until) {
    const t0 = performance.now();
    const r = await fetch(`${address}/health`);
    await r.arrayBuffer();
    health.push(performance.now() - t0);
    await pause(10);
  }
}
await prober();
const idle = health.splice(0);

const loop = monitorEventLoopDelay({ resolution: 10 });
const cpu0 = process.cpuUsage();
until = Date.now() + seconds * 1000;
loop.enable();
const get = (path: string, headers: Record<string, string>) => () => fetch(`${address}${path}`, { headers });
const verify = get('/api/v1/audit/verify', auditor);
const mix: Record<MixClient, () => Promise<void>> = {
  verify: () => client('GET /audit/verify', verify),
  replay: () =>
    client('POST /audit/replay', () =>
      fetch(`${address}/api/v1/audit/replay`, { method: 'POST', headers: { ...auditor, 'content-type': 'application/json' }, body: '{}' }),
    ),
  ledger: auditRunClient,
  export: () => client('GET /decisions/export', get('/api/v1/decisions/export', auditor)),
  import: () =>
    client('POST /geography/import (221 rows)', () =>
      fetch(`${address}/api/v1/geography/import`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify(importRows()),
      }),
    ),
};
const clients = values.mix
  ? chosen.map((name) => mix[name]())
  : [client('GET /audit/verify', verify), client('GET /audit/verify', verify), client('GET /audit/verify', verify), client('GET /audit/verify', verify)];
await Promise.all([...clients, prober()]);
loop.disable();
const cpu = process.cpuUsage(cpu0);

for (const [name, s] of Object.entries(tallies)) {
  console.log(`${name.padEnd(34)} ${s.ok} completed (median ${pct(s.ms, 50).toFixed(0)} ms), ${s.busy} refused busy (429), ${s.other} other`);
}
console.log(`/health idle:       n=${idle.length} p50=${pct(idle, 50).toFixed(1)} ms p99=${pct(idle, 99).toFixed(1)} ms`);
console.log(
  `/health under load: n=${health.length} p50=${pct(health, 50).toFixed(1)} ms p99=${pct(health, 99).toFixed(1)} ms max=${Math.max(...health).toFixed(1)} ms (target p99 < 100 ms)`,
);
console.log(
  `event loop delay:   max=${(loop.max / 1e6).toFixed(1)} ms p99=${(loop.percentile(99) / 1e6).toFixed(1)} ms mean=${(loop.mean / 1e6).toFixed(1)} ms (longest stall; target < 100 ms on PGlite)`,
);
console.log(
  `CPU under load (this process, ${seconds} s): user ${(cpu.user / 1e6).toFixed(1)} s + sys ${(cpu.system / 1e6).toFixed(1)} s; load average ${load()} (${backend})`,
);
t.app.server.closeAllConnections();
await t.close();
process.exit(0);
