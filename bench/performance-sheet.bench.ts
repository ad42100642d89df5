/**
 * The score sheet of a period (issue 20): today's query-time computation (`compute`, the oracle:
 * every worker from the facts, with all evidence) against the read model (`sheet`: stored
 * counters, evidence as counts), on a loaded database (DATABASE_URL, e.g. after
 * `npm run seed:demo -- --scale sample`), in one process, interleaved in rounds so that load
 * from elsewhere on the machine falls on both alike.
 *
 *   DATABASE_URL=postgres://… npm run bench:performance-sheet -- --period 2023-H2 --as-of 2023-12-20
 *
 * Prints CPU time (process.cpuUsage: this process only, not PostgreSQL's), wall time, the load
 * average, the JSON size of each answer and their ratio; asserts nothing about time. Exits
 * non-zero if the read model disagrees with the oracle on any worker's values.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { tasksOnTimeSource } from '../src/application/detection/tasks-metric-source';
import type { CommandHandler } from '../src/application/command-handler';
import { toSheet } from '../src/application/performance/metric-counters';
import { createPerformanceService } from '../src/application/performance/performance.module';
import { openPostgres } from '../src/storage/postgres-database';

const { values } = parseArgs({
  options: { period: { type: 'string', default: '2023-H2' }, 'as-of': { type: 'string', default: '2023-12-20' }, rounds: { type: 'string', default: '3' } },
});
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('set DATABASE_URL to a loaded database');
  process.exit(2);
}
const database = await openPostgres({ connectionString: url, poolSize: 4 });
// Reads only: the command handler is never called.
const service = createPerformanceService({} as CommandHandler, database.db, [tasksOnTimeSource]);
const period = values.period;
const asOf = values['as-of'];

async function measure<T>(run: () => Promise<T>) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await run();
  const used = process.cpuUsage(cpu);
  return { result, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - start };
}

const fmt = (n: number) => n.toFixed(1).padStart(8);
const cold = await measure(async () => {
  await database.db.deleteFrom('rm_performance_sheets').where('period', '=', period).execute();
  return service.sheet(period, asOf);
});
console.log(`sheet, first read (measures every worker):  cpu ${fmt(cold.cpuMs)} ms  wall ${fmt(cold.wallMs)} ms`);
for (let round = 1; round <= Number(values.rounds); round++) {
  const oracle = await measure(() => service.compute(period, asOf));
  const sheet = await measure(() => service.sheet(period, asOf));
  const expected = JSON.stringify({ ...oracle.result, items: oracle.result.items.map(toSheet) });
  if (JSON.stringify(sheet.result) !== expected) {
    console.error('the read model disagrees with the query-time oracle');
    process.exit(1);
  }
  const [oBytes, sBytes] = [Buffer.byteLength(JSON.stringify(oracle.result)), Buffer.byteLength(JSON.stringify(sheet.result))];
  console.log(
    `round ${round}: query-time cpu ${fmt(oracle.cpuMs)} ms wall ${fmt(oracle.wallMs)} ms ${oBytes} B | read model cpu ${fmt(sheet.cpuMs)} ms wall ${fmt(sheet.wallMs)} ms ${sBytes} B | cpu ratio ${(oracle.cpuMs / sheet.cpuMs).toFixed(1)}x | load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}
await database.close();
