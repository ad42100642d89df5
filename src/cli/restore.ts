import { loadConfig } from '../config';
import { liveHolder } from '../storage/data-dir-lock';
import { restoreDataDir } from '../storage/embedded-backup';
import { CliError, parseCli, progress, runCli } from './cli-kit';
import { pgliteDir } from './open-database';

const spec = {
  command: 'npm run restore --',
  positionals: 'FILE',
  requirePositional: true,
  summary:
    'Restores a backup written by npm run backup into the embedded store under DATA_DIR, then recomputes every hash chain of the restored log. ' +
    'The service must be stopped; the data dir must be empty (or --force moves the current one aside, it is never deleted). ' +
    'PostgreSQL deployments use pg_restore (README, Backup and restore).',
  options: {
    force: { type: 'boolean', default: false },
  },
  help: {
    force: 'move a non-empty data dir aside to DATA_DIR/pglite.before-restore-TIME first',
  },
  env: {
    DATA_DIR: 'where the embedded store lives (default ./data)',
  },
  examples: ['npm run restore -- backups/sws-2026-12-01.tar.gz'],
} as const;

await runCli('restore', async () => {
  const { values, positionals } = parseCli(spec);
  const file = positionals[0]!;
  if (positionals.length > 1) throw new CliError('one FILE only (see --help)');
  const config = loadConfig();
  if (config.DATABASE_URL)
    throw new CliError('DATABASE_URL is set: restore PostgreSQL with pg_restore (README, Backup and restore); this command restores the embedded store');
  const dir = pgliteDir(config);
  const holder = liveHolder(dir);
  if (holder) {
    throw new CliError(
      `the data dir ${dir} is in use by pid ${holder.pid} (${holder.endpoint ? `the service at ${holder.endpoint}` : holder.purpose}): stop it before restoring`,
    );
  }
  const bar = progress('restore');
  const timer = setInterval(() => bar.update(0), 1000);
  let result;
  try {
    result = await restoreDataDir(file, dir, { force: values.force });
  } finally {
    clearInterval(timer);
  }
  const { verify, movedAside } = result;
  const moved = movedAside ? `; the previous data dir is at ${movedAside}` : '';
  if (verify.broken.length > 0) {
    const first = verify.broken[0]!;
    bar.done(
      `restored into ${dir}${moved}, but ${verify.broken.length} hash chain(s) are broken, first: ${first.streamId} v${first.version} (${first.reason})`,
    );
    return 1;
  }
  bar.done(`restored into ${dir}${moved}: ${verify.streamsChecked} streams, ${verify.eventsChecked} events, every hash chain intact`);
});
