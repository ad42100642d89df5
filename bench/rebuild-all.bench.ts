/**
 * Every projection rebuilt from the log (issue 20, province scale: "rebuild of every projection,
 * target < 15 minutes for 15 million events"), as `npm run projections:rebuild -- --all` does it:
 * one pass over the log for all of them (ProjectionEngine.rebuildAll). With `--each`, one after
 * another as `npm run projections:rebuild NAME` does, with a line per projection (its events
 * replayed, wall and CPU time, events/s); with `--compare`, both on the same database and the
 * ratio of their wall times. Prints each run's figure extrapolated to 15 million events at the
 * same rate.
 *
 *   DATABASE_URL=postgres://… DATA_DIR=… NODE_OPTIONS=--max-semi-space-size=64 npx tsx bench/rebuild-all.bench.ts [--each | --compare] [name …]
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
const each = process.argv.includes('--each');
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const projections = allProjections().filter((p) => wanted.length === 0 || wanted.includes(p.name));
const logSize = await service.deps.store.countAfter(START, {});
console.log(`rebuild of ${projections.length} projections over a log of ${logSize} events; load ${load()}`);

const sizes = new Map<string, number>();
for (const projection of projections) sizes.set(projection.name, await service.deps.store.countAfter(START, { types: projection.handles }));
const line = (name: string, mode: string, events: number, wall: number, cpu: string) =>
  console.log(
    `${name.padEnd(28)} ${mode.padEnd(6)} ${String(events).padStart(8)} events  wall ${wall.toFixed(2)} s  ${cpu}` +
      `${events > 0 ? Math.round(events / wall) : 0} events/s  load ${load()}`,
  );

/** Every projection from one read of the log, as `projections:rebuild -- --all`. */
async function onePass(): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await engine.rebuildAll(projections.map((p) => p.name));
  await engine.catchUp();
  const used = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  console.log(`one pass over the log: ${projections.length} projections, ${[...sizes.values()].reduce((a, b) => a + b, 0)} events applied`);
  return { wall, cpu: (used.user + used.system) / 1e6 };
}

/** One projection after another, as `projections:rebuild NAME` for each. */
async function oneAtATime(): Promise<{ wall: number; cpu: number }> {
  let wall = 0;
  let cpu = 0;
  for (const projection of projections) {
    const events = sizes.get(projection.name)!;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await engine.rebuild(projection.name);
    await engine.catchUp();
    const w = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    const c = (used.user + used.system) / 1e6;
    wall += w;
    cpu += c;
    line(projection.name, projection.mode, events, w, `CPU ${c.toFixed(2)} s  `);
  }
  return { wall, cpu };
}

const report = (label: string, { wall, cpu }: { wall: number; cpu: number }) => {
  const perEvent = wall / Math.max(1, logSize);
  console.log(
    `${label}: wall ${wall.toFixed(1)} s, CPU (this process) ${cpu.toFixed(1)} s; ${(perEvent * 1e6).toFixed(0)} µs of rebuild per logged event; ` +
      `15 million events at this rate: ${((perEvent * 15e6) / 60).toFixed(0)} min`,
  );
};

// --compare: the one pass, then one at a time on the same database, and their ratio.
if (process.argv.includes('--compare')) {
  const fast = await onePass();
  report('one pass', fast);
  const slow = await oneAtATime();
  report('one at a time', slow);
  console.log(`one pass / one at a time: ${(fast.wall / slow.wall).toFixed(2)} of the wall time`);
} else if (each) report('one at a time', await oneAtATime());
else report('one pass', await onePass());
await service.stop();
