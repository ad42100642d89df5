/**
 * Every projection rebuilt from the log, one after another, as `npm run projections:rebuild NAME`
 * does it (issue 20, province scale: "rebuild of every projection, target < 15 minutes for 15
 * million events"). Prints each projection's events replayed, wall and CPU time and events/s, and
 * the whole run's figure extrapolated to 15 million events at the same rate.
 *
 *   DATABASE_URL=postgres://… DATA_DIR=… NODE_OPTIONS=--max-semi-space-size=64 npx tsx bench/rebuild-all.bench.ts [name …]
 *
 * (The young generation `npm run projections:rebuild` runs with; without it the figures are a
 * sixth more CPU.)
 *
 * A script, not a test: it prints figures and asserts nothing about time. It rebuilds the read
 * models of the database it is given: run it on a copy.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { compose } from '../src/composition-root';
import { loadConfig } from '../src/config';
import { allProjections } from '../src/projections/registry';
import { START } from '../src/application/event-store';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('hex') });
if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required (a copy: its read models are rebuilt)');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const service = await compose(config);
const engine = service.deps.projections;
const wanted = process.argv.slice(2);
const projections = allProjections().filter((p) => wanted.length === 0 || wanted.includes(p.name));
const logSize = await service.deps.store.countAfter(START, {});
console.log(`rebuild of ${projections.length} projections over a log of ${logSize} events; load ${load()}`);

// REBUILD_CONCURRENCY=2: projections rebuilt side by side (engine.rebuildMany).
const concurrency = Number(process.env.REBUILD_CONCURRENCY ?? 1);
const sizes = new Map<string, number>();
for (const projection of projections) sizes.set(projection.name, await service.deps.store.countAfter(START, { types: projection.handles }));
const line = (name: string, mode: string, events: number, wall: number, cpu: string) =>
  console.log(
    `${name.padEnd(28)} ${mode.padEnd(6)} ${String(events).padStart(8)} events  wall ${wall.toFixed(2)} s  ${cpu}` +
      `${events > 0 ? Math.round(events / wall) : 0} events/s  load ${load()}`,
  );

let totalWall = 0;
let totalCpu = 0;
if (concurrency > 1) {
  // Those without rows (`rowsFor`: an event or more per statement) take longest for their size: first.
  const ordered = [...projections].sort((a, b) => Number(!!a.rowsFor) - Number(!!b.rowsFor) || sizes.get(b.name)! - sizes.get(a.name)!);
  const started = new Map<string, number>();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await engine.rebuildMany(
    ordered.map((p) => p.name),
    {
      concurrency,
      // Each one's wall from when its rebuild started: the queue starts the next as one ends.
      onStart: (name) => started.set(name, performance.now()),
      onRebuilt: (name) => {
        const p = projections.find((x) => x.name === name)!;
        line(name, p.mode, sizes.get(name)!, (performance.now() - started.get(name)!) / 1000, '');
      },
    },
  );
  await engine.catchUp();
  totalWall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  totalCpu = (used.user + used.system) / 1e6;
  console.log(`${concurrency} at a time: the wall below is the whole run's, not the sum of the lines`);
} else
  for (const projection of projections) {
    const events = sizes.get(projection.name)!;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await engine.rebuild(projection.name);
    await engine.catchUp();
    const wall = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1e6;
    totalWall += wall;
    totalCpu += cpu;
    line(projection.name, projection.mode, events, wall, `CPU ${cpu.toFixed(2)} s  `);
  }
const perEvent = totalWall / Math.max(1, logSize);
console.log(
  `all: wall ${totalWall.toFixed(1)} s, CPU (this process) ${totalCpu.toFixed(1)} s; ${(perEvent * 1e6).toFixed(0)} µs of rebuild per logged event; ` +
    `15 million events at this rate: ${((perEvent * 15e6) / 60).toFixed(0)} min`,
);
await service.stop();
