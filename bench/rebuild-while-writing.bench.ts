/**
 * A projection rebuild with commands sent meanwhile (issue 20: a rebuild must not block writes).
 * Rebuilds the projection (households by default) and, once its first page is in the shadow,
 * sends a visit every 200 ms until the switch; prints the rebuild's time and the visits' latencies.
 *
 *   DATABASE_URL=… DATA_DIR=… npx tsx bench/rebuild-while-writing.bench.ts [projection]
 */
import os from 'node:os';
import { sql } from 'kysely';
import { compose } from '../src/composition-root';
import { findDemoUsers } from '../src/demo/demo-users';
import { DEMO_DATE } from '../src/demo/demo-time';
import { demoBenchConfig } from './demo-bench-config';

const name = process.argv[2] ?? 'households';
const config = demoBenchConfig();
const service = await compose(config);
const db = service.deps.database.db;
const admin = (await findDemoUsers(db, DEMO_DATE)).find((u) => u.role === 'admin')!;
const headers = { authorization: `Bearer ${service.app.jwt.sign({ sub: admin.sub, role: 'admin' })}` };
const targets = (
  await sql<{ household_id: string; worker_id: string }>`
    select h.id as household_id, r.worker_id from rm_households h
    join rm_group_responsibilities r on r.group_id = h.group_id and r.to_date is null limit 50`.execute(db)
).rows;
const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
console.log(`rebuild-while-writing — ${name}; load average ${load()}`);

const latencies: number[] = [];
const statuses: number[] = [];
let rebuilding = true;
let started = false;
const sendVisits = async () => {
  for (let i = 0; rebuilding; i++) {
    const target = targets[i % targets.length]!;
    const t0 = performance.now();
    const reply = await service.app.inject({
      method: 'POST',
      url: '/api/v1/visits',
      headers,
      payload: { householdId: target.household_id, workerId: target.worker_id, date: DEMO_DATE, kind: 'routine', findings: '正常', peopleServed: 1 },
    });
    latencies.push(performance.now() - t0);
    statuses.push(reply.statusCode);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
let visits: Promise<void> = Promise.resolve();
const t0 = performance.now();
await service.deps.projections.rebuild(name, {
  onProgress: () => {
    if (started) return;
    started = true;
    visits = sendVisits();
  },
});
const rebuildMs = performance.now() - t0;
rebuilding = false;
await visits;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
console.log(`rebuild ${name}: ${(rebuildMs / 1000).toFixed(1)} s`);
console.log(
  `visits during it: ${latencies.length}, statuses ${[...new Set(statuses)].join(',')}, p50 ${pct(50).toFixed(0)} ms, max ${(latencies.at(-1) ?? NaN).toFixed(0)} ms`,
);
console.log(`load average after: ${load()}`);
await service.stop();
process.exit(0);
