import { SingleBar, Presets } from 'cli-progress';
import { sql } from 'kysely';
import type { Clock } from '../application/clock';
import { loadConfig } from '../config';
import type { DemoScale } from '../demo/context';
import { DEMO_DATE } from '../demo/demo-time';
import { formatDemoSummary } from '../demo/summary-table';
import { CliError, parseCli, runCli } from './cli-kit';
import { loaderConnectWaitMs, loaderPGliteThread, openDatabaseForCli } from './open-database';

const SCALES: readonly DemoScale[] = ['tiny', 'sample', 'county', 'province'];
/** Connections for a load on PostgreSQL: 16 commands in flight, and the projections beside them. */
const LOAD_POOL_SIZE = 18;
/**
 * How often the async projections (the ledger's sealer) catch up during the load: every few
 * seconds in batches of up to 500 events, rather than every quarter second in batches of a few
 * dozen. Each batch is about ten statements (its read, checkpoint, leaves, nodes, NOTIFY), which
 * on PGlite was a tenth of the sample's statements (issue 15). They catch up fully before the summary.
 */
const SEAL_EVERY_MS = 5000;

const spec = {
  command: 'npm run seed:demo --',
  summary:
    'Loads the demo county (a county shaped like Suijiang with its 2023) through the application services: geography, stations, workers, households, visits and the stories. Deterministic for a seed; running it again adds nothing.',
  options: {
    scale: { type: 'string', default: 'county' },
    seed: { type: 'string', default: 'suijiang-2023' },
    counties: { type: 'string' },
  },
  help: {
    scale: `how much to load: ${SCALES.join(', ')} (province = 100 counties, PostgreSQL only)`,
    seed: 'the random seed: the same seed always loads the same county',
    counties: 'province scale only: how many counties (default 100)',
  },
  env: {
    DATABASE_URL: 'PostgreSQL; absent = the embedded store under DATA_DIR',
    DATA_DIR: 'where the embedded store and its keys live',
  },
  examples: ['npm run seed:demo', 'npm run seed:demo -- --scale sample', 'DATABASE_URL=postgres://… npm run seed:demo -- --scale province --counties 10'],
} as const;

/**
 * A load is a few hundred thousand small transactions; waiting for each one's WAL flush made it
 * disk-bound (WALWrite/WALSync waits). Off for the loader's own sessions only: a crash of the
 * server may lose the last moments of the load, and the load is idempotent, so running it again
 * restores them. Nothing is ever half-written.
 */
function withoutCommitWait(url: string): string {
  const parsed = new URL(url);
  if (parsed.searchParams.has('options')) return url;
  parsed.searchParams.set('options', '-c synchronous_commit=off');
  return parsed.toString();
}

/** The bureau's clock during the load: the demo's "today", advancing in real time (startup policies are dated then). */
function demoClock(): Clock {
  const start = Date.parse(`${DEMO_DATE}T09:00:00+08:00`);
  const began = Date.now();
  return { now: () => new Date(start + (Date.now() - began)) };
}

await runCli('seed:demo', async () => {
  const { values } = parseCli(spec);
  const scale = values.scale as DemoScale;
  if (!SCALES.includes(scale)) throw new CliError(`unknown scale ${values.scale}; one of: ${SCALES.join(', ')}`);
  const counties = values.counties === undefined ? undefined : Number(values.counties);
  if (counties !== undefined && !(Number.isInteger(counties) && counties >= 1 && counties <= 3000))
    throw new CliError('--counties is a whole number from 1 to 3000');
  const config = loadConfig();
  if (scale === 'province' && !config.DATABASE_URL) throw new CliError('the province scale runs on PostgreSQL only: set DATABASE_URL');

  // PGlite: take the data-dir lock first, so a running service is named instead of trampled; on
  // this thread, as no HTTP waits on this process (`DEMO=1 npm start` keeps the worker thread).
  // PostgreSQL: the service's own pool, wide enough for the commands the generator keeps in flight.
  const database = config.DATABASE_URL ? null : await openDatabaseForCli(config, 'npm run seed:demo', { pgliteThread: loaderPGliteThread(process.env) });
  const { compose } = await import('../composition-root');
  const { runDemoSeed } = await import('../demo/seed');
  const service = await compose(
    {
      ...config,
      ...(config.DATABASE_URL ? { DATABASE_URL: withoutCommitWait(config.DATABASE_URL) } : {}),
      JWT_SECRET: config.JWT_SECRET ?? 'x'.repeat(32),
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: Math.max(config.DB_POOL_SIZE, LOAD_POOL_SIZE),
      DB_CONNECT_TIMEOUT_MS: loaderConnectWaitMs(process.env, config.DB_CONNECT_TIMEOUT_MS),
      EVENTS_NOTIFY_AFTER_MS: config.EVENTS_NOTIFY_AFTER_MS ?? SEAL_EVERY_MS,
    },
    { ...(database ? { database } : {}), clock: demoClock(), projectionOptions: { pollIntervalMs: SEAL_EVERY_MS } },
  );
  const bar = new SingleBar(
    {
      format: '{chapter} [{bar}] {percentage}% {value}/{total} | {duration_formatted}',
      hideCursor: true,
      stream: process.stderr,
      etaBuffer: 200,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    Presets.shades_classic,
  );
  let current = '';
  try {
    await service.start();
    bar.start(1, 0, { chapter: 'start'.padEnd(11) });
    const summary = await runDemoSeed(service, {
      scale,
      seed: values.seed,
      ...(counties !== undefined ? { counties } : {}),
      onProgress: ({ chapter, done, total }) => {
        if (chapter !== current) {
          current = chapter;
          bar.setTotal(total);
        }
        bar.update(done, { chapter: chapter.padEnd(11) });
      },
    });
    bar.stop();
    // The ledger seals what the last few seconds appended, so the load ends with the log sealed.
    const sealing = Date.now();
    await service.deps.projections.catchUp();
    process.stderr.write(`ledger caught up in ${((Date.now() - sealing) / 1000).toFixed(1)} s\n`);
    // A bulk load leaves the planner with stale statistics, and PGlite has no autovacuum to fix them.
    process.stderr.write('ANALYZE…\n');
    await sql`analyze`.execute(service.deps.database.db);
    process.stdout.write(`${formatDemoSummary(summary)}\n`);
  } finally {
    bar.stop();
    await service.stop();
    await database?.close();
  }
});
