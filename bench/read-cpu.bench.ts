/**
 * The reads of `bench:http` one at a time in process (fastify inject): this process's CPU per
 * request (the service's own work: auth, queries' client side, masking, serialization), wall
 * p50/p95 and the answer's size. On a shared machine the CPU per request is steadier than
 * latency under autocannon; on an idle 2-core box it bounds what 10 connections can get.
 *
 *   DATABASE_URL=… DATA_DIR=… npx tsx bench/read-cpu.bench.ts [rounds] [read,…]
 *
 * The second argument keeps only the reads whose names start with one of its comma-separated
 * prefixes (`households` for the two household reads), so a CPU profile holds only those.
 */
import os from 'node:os';
import { sql } from 'kysely';
import type { Role } from '../src/application/actor';
import { compose } from '../src/composition-root';
import { findDemoUsers } from '../src/demo/demo-users';
import { DEMO_DATE } from '../src/demo/demo-time';
import { demoBenchConfig } from './demo-bench-config';
import { encodeCursor } from '../src/application/pagination';

const rounds = Number(process.argv[2] ?? 20);
const only = process.argv[3]?.split(',').filter(Boolean) ?? null;
const config = demoBenchConfig();
const service = await compose(config);
const db = service.deps.database.db;
const users = await findDemoUsers(db, DEMO_DATE);
const tokenOf = (role: Role) => {
  const user = users.find((u) => u.role === role);
  if (!user) throw new Error(`no demo ${role} in this county`);
  return { sub: user.sub, headers: { authorization: `Bearer ${service.app.jwt.sign({ sub: user.sub, role })}` } };
};
const admin = tokenOf('admin').headers;
const evaluator = tokenOf('evaluator').headers;
const village = tokenOf('village_worker');
const surname =
  (await sql<{ name: string }>`select name from rm_household_members order by household_id limit 1`.execute(db)).rows[0]?.name.slice(0, 1) ?? '李';

// A page and a search no one asked for yet, per request (the two above are answered from the
// households search's cache after their first request; these are computed each time).
const cursors = (await sql<{ id: string }>`select id from rm_households order by md5(id::text) limit 1000`.execute(db)).rows.map((r) =>
  encodeCursor({ id: r.id }),
);
const surnames = (await sql<{ s: string }>`select distinct left(name, 1) as s from rm_household_members order by 1 limit 100`.execute(db)).rows.map((r) => r.s);
let turn = 0;
const newPage = () => `/api/v1/households?limit=50&cursor=${cursors[turn++ % cursors.length]}`;
const newSearch = () => `/api/v1/households?limit=50&name=${encodeURIComponent(surnames[turn % surnames.length]!)}&cursor=${cursors[turn++ % cursors.length]}`;

const reads: [string, string | (() => string), Record<string, string>][] = [
  ['overdue (admin)', '/api/v1/schedule/overdue', admin],
  ['overdue (village worker)', '/api/v1/schedule/overdue', village.headers],
  ['due 7d (admin)', '/api/v1/schedule/due?within=7d', admin],
  ['performance 2023-H2', '/api/v1/performance?period=2023-H2', evaluator],
  ['coverage', '/api/v1/coverage', admin],
  ['households?limit=50', '/api/v1/households?limit=50', admin],
  ['households?name=', `/api/v1/households?limit=50&name=${encodeURIComponent(surname)}`, admin],
  ['households new page', newPage, admin],
  ['households new search', newSearch, admin],
  ['caseload', `/api/v1/workers/${village.sub}/caseload`, admin],
  ['decisions?limit=50', '/api/v1/decisions?limit=50', admin],
  ['community summary', '/api/v1/community/summary', admin],
];
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
console.log(`read-cpu.bench — ${rounds} sequential requests each after 2 warm-ups; load average ${os.loadavg()[0]!.toFixed(1)}`);
console.log('| read | CPU ms/request | p50 ms | p95 ms | bytes | status |\n|---|--:|--:|--:|--:|--:|');
for (const [name, url, headers] of reads) {
  if (only && !only.some((prefix) => name.startsWith(prefix))) continue;
  const times: number[] = [];
  let bytes = 0;
  let status = 0;
  let cpu = { user: 0, system: 0 };
  for (let i = 0; i < rounds + 2; i++) {
    if (i === 2) cpu = process.cpuUsage();
    const started = performance.now();
    const reply = await service.app.inject({ method: 'GET', url: typeof url === 'string' ? url : url(), headers });
    if (i >= 2) times.push(performance.now() - started);
    bytes = reply.rawPayload.length;
    status = reply.statusCode;
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  console.log(
    `| ${name} | ${((used.user + used.system) / 1000 / rounds).toFixed(2)} | ${pct(times, 50).toFixed(1)} | ${pct(times, 95).toFixed(1)} | ${bytes.toLocaleString('en')} | ${status} |`,
  );
}
console.log(`load average after: ${os.loadavg()[0]!.toFixed(1)}`);
await service.stop();
process.exit(0);
