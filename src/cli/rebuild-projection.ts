import { START } from '../application/event-store';
import { loadConfig } from '../config';
import { allProjections } from '../projections/registry';
import { checkpoints } from '../storage/checkpoint-store';
import { CliError, parseCli, progress, runCli } from './cli-kit';

/**
 * Replays the log into a read model. On PostgreSQL safe while the service runs: an inline
 * projection is built beside the live tables and switched in (commands wait only for the switch);
 * an async one's checkpoints are compare-and-set, so two processes never apply a batch twice. On the
 * embedded store the running service holds the files: use its endpoint instead (the lock says so).
 */
const names = allProjections().map((p) => p.name);
const spec = {
  command: 'npm run projections:rebuild --',
  positionals: 'NAME',
  requirePositional: true,
  summary: `Empties the read model NAME and replays the log into it, showing progress. NAME is one of: ${names.join(', ')}.`,
  options: {},
  help: {},
  env: {
    DATABASE_URL: 'PostgreSQL; absent = the embedded store under DATA_DIR (refused while a service holds it: use POST /api/v1/projections/NAME/rebuild)',
  },
} as const;

await runCli('projections:rebuild', async () => {
  // Arguments first: usage and typos answer at once, before any database is opened.
  const { positionals } = parseCli(spec);
  const name = positionals[0]!;
  if (positionals.length > 1) throw new CliError(`one projection at a time, got ${positionals.length} (see --help)`);
  if (!names.includes(name)) throw new CliError(`unknown projection ${name}; one of: ${names.join(', ')}`);

  const config = loadConfig();
  // Loaded only now: the whole service graph is seconds of module loading under tsx.
  const { compose } = await import('../composition-root');
  const service = await compose({ ...config, JWT_SECRET: config.JWT_SECRET ?? 'x'.repeat(32) });
  try {
    const engine = service.deps.projections;
    const projection = allProjections().find((p) => p.name === name)!;
    const total = await service.deps.store.countAfter(START, { types: projection.handles });
    const bar = progress(`rebuild ${name}`, { unit: 'events' });
    bar.update(0, total);
    // Async projections commit a checkpoint per batch: read it to show how far the replay got.
    const timer = setInterval(() => {
      void checkpoints
        .read(service.deps.database.db, name)
        .then((cp) => bar.update(cp.eventsApplied, total))
        .catch(() => {});
    }, 1000);
    try {
      await engine.rebuild(name, { onProgress: (applied) => bar.update(applied, total) });
      await engine.catchUp();
      // The read model was emptied and refilled: the planner's old statistics describe another table.
      // The engine asked for an ANALYZE after an inline rebuild; an async one ended in catchUp here.
      if (projection.mode === 'async') await engine.statistics.analyzeNow(projection.tables);
      else await engine.statistics.settled();
    } finally {
      clearInterval(timer);
    }
    const status = (await engine.status()).find((s) => s.name === name)!;
    bar.done(`${status.eventsApplied} events applied, lag ${status.lag}`);
  } finally {
    await service.stop();
  }
});
