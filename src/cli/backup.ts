import { createHash } from 'node:crypto';
import { loadConfig } from '../config';
import { liveHolder } from '../storage/data-dir-lock';
import { dumpClosedDataDir, writeBackupFile } from '../storage/embedded-backup';
import { CliError, parseCli, progress, runCli } from './cli-kit';
import { mintLocalToken } from './mint-token';
import { pgliteDir } from './open-database';

const spec = {
  command: 'npm run backup --',
  positionals: 'FILE',
  requirePositional: true,
  summary:
    'Writes a consistent backup of the embedded store (a gzip tarball of the PGlite data directory) to FILE. ' +
    'While a service runs on the data dir, the backup is taken by that service (GET /api/v1/admin/backup) with no downtime; ' +
    'otherwise the data dir is opened, dumped and closed. PostgreSQL deployments use pg_dump (README, Backup and restore).',
  options: {
    force: { type: 'boolean', default: false },
    url: { type: 'string' },
    token: { type: 'string' },
  },
  help: {
    force: 'overwrite FILE if it exists',
    url: 'the running service to ask (default: the address in the data dir lock)',
    token: 'an admin bearer token (default: BACKUP_TOKEN, else one minted from JWT_SECRET or DATA_DIR/jwt-secret)',
  },
  env: {
    DATA_DIR: 'where the embedded store lives (default ./data)',
    BACKUP_TOKEN: 'an admin token, for deployments whose tokens come from an identity provider (RS256/JWKS)',
  },
  examples: ['npm run backup -- backups/sws-$(date +%F).tar.gz', 'npm run restore -- backups/sws-2026-12-01.tar.gz'],
} as const;

await runCli('backup', async () => {
  const { values, positionals } = parseCli(spec);
  const file = positionals[0]!;
  if (positionals.length > 1) throw new CliError('one FILE only (see --help)');
  const config = loadConfig();
  if (config.DATABASE_URL)
    throw new CliError('DATABASE_URL is set: back up PostgreSQL with pg_dump (README, Backup and restore); this command backs up the embedded store');
  const dir = pgliteDir(config);
  const holder = liveHolder(dir);
  const endpoint = values.url ?? holder?.endpoint;
  const bar = progress('backup', { unit: 'bytes' });

  let bytes: Uint8Array;
  if (endpoint) {
    const token = values.token ?? process.env.BACKUP_TOKEN ?? mintLocalToken(config, { role: 'admin', sub: 'backup-cli' }, 10 * 60_000);
    if (!token) throw new CliError('no admin token: pass --token or BACKUP_TOKEN (this deployment has no JWT_SECRET to mint one)');
    bytes = await download(`${endpoint.replace(/\/$/, '')}/api/v1/admin/backup`, token, (done, total) => bar.update(done, total));
  } else if (holder) {
    throw new CliError(`the data dir ${dir} is in use by pid ${holder.pid} (${holder.purpose}), which has no HTTP address: try again when it has finished`);
  } else {
    // No service: this process opens the files itself (and holds the lock meanwhile).
    const timer = setInterval(() => bar.update(0), 1000);
    try {
      bytes = await dumpClosedDataDir(dir);
    } finally {
      clearInterval(timer);
    }
  }
  const written = await writeBackupFile(file, bytes, { overwrite: values.force });
  bar.done(`wrote ${file}: ${written.bytes} bytes, sha256 ${written.sha256}${endpoint ? ` (taken by the service at ${endpoint})` : ''}`);
});

/** GET with progress; checks the service's SHA-256 header so a truncated transfer is refused. */
async function download(url: string, token: string, onProgress: (done: number, total?: number) => void): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  } catch (error) {
    throw new CliError(`cannot reach the service at ${url}: ${(error as Error).message}`, 1);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { title?: string; detail?: string } | null;
    throw new CliError(`the service refused the backup: HTTP ${res.status} ${body?.detail ?? body?.title ?? ''}`.trim(), 1);
  }
  const total = Number(res.headers.get('content-length')) || undefined;
  const chunks: Uint8Array[] = [];
  let done = 0;
  // @types/node 20 types fetch's body as a stream of any; its chunks are bytes.
  for await (const chunk of (res.body ?? []) as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    done += chunk.length;
    onProgress(done, total);
  }
  const bytes = Buffer.concat(chunks);
  const expected = res.headers.get('x-backup-sha256');
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (expected && expected !== actual) throw new CliError(`the backup arrived damaged (sha256 ${actual}, the service sent ${expected}); nothing written`, 1);
  return bytes;
}
