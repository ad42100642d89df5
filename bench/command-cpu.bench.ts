/**
 * The service's CPU per command (issue 20): `POST /visits` and a case step run through the whole
 * app in this process (fastify's inject: no socket, no autocannon beside it), one at a time and
 * then `--concurrency` at once, with the statements each sends to PostgreSQL counted.
 *
 *   DATABASE_URL=postgres://…/county_copy DATA_DIR=… npx tsx bench/command-cpu.bench.ts --count 300
 *
 * Prints CPU (user+sys) per command and statements per command, by statement. A script, not a
 * test: it asserts nothing about time.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import type { Role } from '../src/application/actor';
import { compose } from '../src/composition-root';
import { findDemoUsers } from '../src/demo/demo-users';
import { DEMO_DATE } from '../src/demo/demo-time';
import { demoBenchConfig } from './demo-bench-config';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '10' },
    only: { type: 'string', default: 'visit,case-step' },
    statements: { type: 'boolean', default: false },
  },
  strict: true,
});
const count = Number(args.count);
const concurrency = Number(args.concurrency);

// Every statement a pooled client sends, by its first words (counted before the service connects).
const sent = new Map<string, number>();
let counting = false;
// Taken off the prototype on purpose: the wrapper below calls it back with the client as `this`.
// eslint-disable-next-line @typescript-eslint/unbound-method
const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
  if (counting) {
    const first = a[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string; name?: string })?.name ?? (first as { text?: string })?.text ?? '?');
    const key = text.replace(/\s+/g, ' ').slice(0, 90);
    sent.set(key, (sent.get(key) ?? 0) + 1);
  }
  return query.apply(this, a);
} as typeof pg.Client.prototype.query;

const config = demoBenchConfig();
if (!config.DATABASE_URL) throw new Error('DATABASE_URL: a PostgreSQL database holding the demo county');
const service = await compose(config, {});
await service.start();
const db = service.deps.database.db;
const users = await findDemoUsers(db, DEMO_DATE);
const tokenOf = (role: Role) => {
  const user = users.find((u) => u.role === role);
  if (!user) throw new Error(`no demo ${role} in this county`);
  return { sub: user.sub, token: service.app.jwt.sign({ sub: user.sub, role }) };
};
const admin = tokenOf('admin');
const village = tokenOf('village_worker');
const today = (await sql<{ d: string }>`select ${DEMO_DATE}::text as d`.execute(db)).rows[0]!.d;
const villageHouseholds = (
  await sql<{ id: string }>`
    select h.id from rm_households h join rm_group_responsibilities r on r.group_id = h.group_id
    where r.worker_id = ${village.sub}::uuid and r.from_date <= ${today}::date and (r.to_date is null or r.to_date > ${today}::date)
    order by h.id limit 500`.execute(db)
).rows.map((r) => r.id);
const openCases = (
  await sql<{
    id: string;
  }>`select id from rm_cases where status in ('accepted', 'investigating', 'returned', 'emergency_granted') order by id limit 500`.execute(db)
).rows.map((r) => r.id);

let seq = 0;
const commands: Record<string, () => { url: string; token: string; body: object }> = {
  visit: () => ({
    url: '/api/v1/visits',
    token: village.token,
    body: {
      householdId: villageHouseholds[seq++ % villageHouseholds.length],
      date: today,
      kind: 'routine',
      findings: '例行走访，情况稳定',
      followUpActions: [],
    },
  }),
  'case-step': () => ({
    url: `/api/v1/cases/${openCases[seq++ % openCases.length]}/neighbour-interviews`,
    token: admin.token,
    body: { on: today, interviewee: '邻居', summary: '情况属实' },
  }),
};

async function one(name: string): Promise<number> {
  const c = commands[name]!();
  const response = await service.app.inject({ method: 'POST', url: c.url, headers: { authorization: `Bearer ${c.token}` }, payload: c.body });
  return response.statusCode;
}

async function measure(name: string, parallel: number) {
  sent.clear();
  const statuses = new Map<number, number>();
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  let left = count;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (left-- > 0) {
        const status = await one(name);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const busy = performance.eventLoopUtilization(elu).utilization;
  const statements = [...sent.values()].reduce((a, b) => a + b, 0);
  console.log(
    `${name} ×${count}, ${parallel} at once: ${((used.user + used.system) / 1000 / count).toFixed(2)} ms CPU a command ` +
      `(user ${(used.user / 1000 / count).toFixed(2)}), ${(wall / count).toFixed(2)} ms wall a command (${((1000 * count) / wall).toFixed(1)}/s), ` +
      `${(statements / count).toFixed(2)} statements a command, event loop busy ${(100 * busy).toFixed(0)} %; statuses ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}; load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  if (args.statements) for (const [text, n] of [...sent].sort((a, b) => b[1] - a[1])) console.log(`  ${(n / count).toFixed(2).padStart(6)}  ${text}`);
}

try {
  for (const name of args.only.split(',')) {
    if (name === 'case-step' && openCases.length === 0) continue;
    for (let i = 0; i < 20; i++) await one(name); // warm up
    counting = true;
    await measure(name, 1);
    await measure(name, concurrency);
    counting = false;
  }
} finally {
  await service.stop();
}
