import { START } from '../application/event-store';
import { loadConfig } from '../config';
import { readFilter } from '../projections/projection';
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
  positionals: 'NAME…',
  summary:
    `Empties the read models named (or all with --all) and replays the log into them, showing progress; several are rebuilt ` +
    `from one pass over the log. NAME is one of: ${names.join(', ')}.`,
  options: { all: { type: 'boolean', default: false } },
  help: { all: 'every projection, from one pass over the log (no NAME then)' },
  env: {
    DATABASE_URL: 'PostgreSQL; absent = the embedded store under DATA_DIR (refused while a service holds it: use POST /api/v1/projections/NAME/rebuild)',
  },
  examples: ['npm run projections:rebuild -- households', 'npm run projections:rebuild -- households visits coverage', 'npm run projections:rebuild -- --all'],
} as const;

await runCli('projections:rebuild', async () => {
  // Arguments first: usage and typos answer at once, before any database is opened.
  const { positionals, values } = parseCli(spec);
  if (values.all && positionals.length > 0) throw new CliError('either NAME… or --all, not both (see --help)');
  if (!values.all && positionals.length === 0) throw new CliError('missing NAME… or --all (see --help)');
  const unknown = positionals.find((name) => !names.includes(name));
  if (unknown !== undefined) throw new CliError(`unknown projection ${unknown}; one of: ${names.join(', ')}`);
  const chosen = values.all ? names : [...new Set(positionals)];

  const config = loadConfig();
  // Loaded only now: the whole service graph is seconds of module loading under tsx.
  const { compose } = await import('../composition-root');
  const service = await compose({ ...config, JWT_SECRET: config.JWT_SECRET ?? 'x'.repeat(32) });
  try {
    const engine = service.deps.projections;
    const projections = allProjections().filter((p) => chosen.includes(p.name));
    const label = chosen.length === 1 ? `rebuild ${chosen[0]}` : `rebuild ${chosen.length} projections`;
    const bar = progress(label, { unit: 'events' });
    const inline = projections.filter((p) => p.mode === 'inline');
    const asynchronous = projections.filter((p) => p.mode === 'async');
    // The inline ones' pass reads each event any of them handles once: the bar counts those (or,
    // without inline ones, the events the async ones handle).
    const counted = inline.length > 0 ? inline : asynchronous;
    const total = await service.deps.store.countAfter(START, readFilter([...new Set(counted.flatMap((p) => p.handles))]));
    bar.update(0, total);
    // Async projections commit a checkpoint per batch: read them to show how far the replay got.
    let inlineRead = inline.length > 0 ? 0 : total;
    const timer =
      asynchronous.length > 0
        ? setInterval(() => {
            void Promise.all(asynchronous.map((p) => checkpoints.read(service.deps.database.db, p.name)))
              .then((cps) => bar.update(Math.min(inlineRead, ...cps.map((cp) => cp.eventsApplied)), total))
              .catch(() => {});
          }, 1000)
        : null;
    try {
      await engine.rebuildAll(chosen, {
        onProgress: (read) => {
          inlineRead = read;
          bar.update(read, total);
        },
      });
      inlineRead = total;
      await engine.catchUp();
      // The read models were emptied and refilled: the planner's old statistics describe other tables.
      // The engine asked for an ANALYZE after the inline rebuild; an async one ended in catchUp here.
      if (asynchronous.length > 0) await engine.statistics.analyzeNow(asynchronous.flatMap((p) => p.tables));
      if (inline.length > 0) await engine.statistics.settled();
    } finally {
      if (timer) clearInterval(timer);
    }
    const statuses = (await engine.status()).filter((s) => chosen.includes(s.name));
    const applied = statuses.reduce((sum, s) => sum + s.eventsApplied, 0);
    const lag = Math.max(0, ...statuses.map((s) => s.lag));
    bar.done(chosen.length === 1 ? `${applied} events applied, lag ${lag}` : `${chosen.length} projections, ${applied} events applied, lag ${lag}`);
  } finally {
    await service.stop();
  }
});
