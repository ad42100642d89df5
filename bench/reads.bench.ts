/**
 * The county's daily reads one at a time, in process (fastify inject, no network, no other
 * load from this process): p50/p95/max and the size of each answer, so a read model and the
 * query-time path it replaced are measured side by side under the same machine load.
 *
 *   DATABASE_URL=… DATA_DIR=… npx tsx bench/reads.bench.ts [rounds]
 */
import os from 'node:os';
import type { Role } from '../src/application/actor';
import { compose } from '../src/composition-root';
import { findDemoUsers } from '../src/demo/demo-users';
import { DEMO_DATE } from '../src/demo/demo-time';
import { demoBenchConfig } from './demo-bench-config';

const rounds = Number(process.argv[2] ?? 20);
const config = demoBenchConfig();
const service = await compose(config);
const users = await findDemoUsers(service.deps.database.db, DEMO_DATE);
const tokenOf = (role: Role) => {
  const user = users.find((u) => u.role === role);
  if (!user) throw new Error(`no demo ${role} in this county`);
  return { authorization: `Bearer ${service.app.jwt.sign({ sub: user.sub, role })}` };
};
const admin = tokenOf('admin');
const evaluator = tokenOf('evaluator');

const reads: [string, string, Record<string, string>][] = [
  ['coverage (read model)', '/api/v1/coverage', admin],
  ['coverage (query time)', '/api/v1/coverage?source=query', admin],
  ['overdue (default page)', '/api/v1/schedule/overdue', admin],
  ['overdue (limit=500)', '/api/v1/schedule/overdue?limit=500', admin],
  ['due 7d (default page)', '/api/v1/schedule/due?within=7d', admin],
  ['score sheet 2023-H2', '/api/v1/performance?period=2023-H2', evaluator],
  ['households?limit=50', '/api/v1/households?limit=50', admin],
  ['decisions?limit=50', '/api/v1/decisions?limit=50', admin],
];
const only = process.env.ONLY ? new Set(process.env.ONLY.split(',')) : null;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
console.log(
  `reads.bench — ${rounds} sequential requests each after 2 warm-ups; load average ${os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`,
);
console.log('| read | p50 ms | p95 ms | max ms | bytes | status |\n|---|--:|--:|--:|--:|--:|');
for (const [name, url, headers] of reads) {
  if (only && !only.has(name)) continue;
  const times: number[] = [];
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < rounds + 2; i++) {
    const started = performance.now();
    const reply = await service.app.inject({ method: 'GET', url, headers });
    if (i >= 2) times.push(performance.now() - started);
    bytes = reply.rawPayload.length;
    status = reply.statusCode;
  }
  times.sort((a, b) => a - b);
  console.log(
    `| ${name} | ${pct(times, 50).toFixed(1)} | ${pct(times, 95).toFixed(1)} | ${times.at(-1)!.toFixed(1)} | ${bytes.toLocaleString('en')} | ${status} |`,
  );
}
console.log(
  `load average after: ${os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`,
);
await service.app.close();
process.exit(0);
