/**
 * Availability under heavy auditor work (issue 13, finding 9): /health latency while four
 * clients call GET /audit/verify over a log of N events, on PostgreSQL (TEST_DATABASE_URL) or
 * PGlite (--pglite). Each client calls verify again as soon as it is answered (200, or 429 busy:
 * at most one verify runs per process), while /health is called every 10 ms.
 *
 *   npx tsx bench/health-under-verify.bench.ts [--pglite] [--events 40000] [--seconds 15]
 *
 * A script, not a test: it prints figures, it asserts nothing about time.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { buildWorkload } from './workload';
import { bearer, startTestApp } from '../tests/support/test-app';

const { values } = parseArgs({
  options: { pglite: { type: 'boolean', default: false }, events: { type: 'string', default: '40000' }, seconds: { type: 'string', default: '15' } },
});
const events = Number(values.events);
const seconds = Number(values.seconds);

const t = await startTestApp({ backend: values.pglite ? 'pglite' : 'postgres' });
const store = t.service.deps.store;
const workload = buildWorkload({ type: 'BenchVisitRecorded', events, writers: 1, batch: 100, streamEvents: 100 });
const started = performance.now();
for (const b of workload.perWriter[0]!) await store.append(`bench-${b.streamId}`, b.events, b.expected === 0 ? 'no_stream' : b.expected);
console.log(`seeded ${events} events in ${((performance.now() - started) / 1000).toFixed(1)} s (${values.pglite ? 'PGlite' : 'PostgreSQL'})`);

const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
const auditor = bearer(t.token('auditor'));
let until = Date.now() + 3000;
const verifies = { ok: 0, busy: 0, other: 0, ms: [] as number[] };
async function verifier() {
  while (Date.now() < until) {
    const t0 = performance.now();
    const r = await fetch(`${address}/api/v1/audit/verify`, { headers: auditor });
    await r.arrayBuffer();
    if (r.status === 200) {
      verifies.ok++;
      verifies.ms.push(performance.now() - t0);
    } else if (r.status === 429) {
      verifies.busy++;
      await new Promise((res) => setTimeout(res, 200)); // a polite client waits a little (Retry-After says 10 s)
    } else verifies.other++;
  }
}
const health: number[] = [];
async function prober() {
  while (Date.now() < until) {
    const t0 = performance.now();
    const r = await fetch(`${address}/health`);
    await r.arrayBuffer();
    health.push(performance.now() - t0);
    await new Promise((res) => setTimeout(res, 10));
  }
}
await prober();
const idle = health.splice(0);
until = Date.now() + seconds * 1000;
await Promise.all([verifier(), verifier(), verifier(), verifier(), prober()]);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
console.log(`verify: ${verifies.ok} completed (median ${pct(verifies.ms, 50).toFixed(0)} ms), ${verifies.busy} refused busy (429), ${verifies.other} other`);
console.log(`/health idle:       n=${idle.length} p50=${pct(idle, 50).toFixed(1)} ms p99=${pct(idle, 99).toFixed(1)} ms`);
console.log(
  `/health under load: n=${health.length} p50=${pct(health, 50).toFixed(1)} ms p99=${pct(health, 99).toFixed(1)} ms max=${Math.max(...health).toFixed(1)} ms (target p99 < 100 ms on PostgreSQL)`,
);
t.app.server.closeAllConnections();
await t.close();
process.exit(0);
