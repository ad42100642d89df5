import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { VerifyReport } from '../application/event-store';
import { openPGlite } from './pglite-database';
import { SqlEventStore } from './sql-event-store';

/**
 * Backup and restore of the embedded store's data directory (PGlite's dumpDataDir /
 * loadDataDir): a gzip tarball of the whole PostgreSQL data directory. A dump is taken by the
 * one process that has the files open, so it is consistent; a restore goes only into an empty
 * directory and ends by recomputing every hash chain of the restored log.
 */

const GZIP_MAGIC = [0x1f, 0x8b];

/** Writes `bytes` to `file` through a temporary name, so a failed backup never leaves half a file. */
export async function writeBackupFile(file: string, bytes: Uint8Array, options: { overwrite?: boolean } = {}): Promise<{ bytes: number; sha256: string }> {
  if (!options.overwrite && existsSync(file)) throw new BackupError(`${file} already exists (use --force to overwrite)`);
  const partial = `${file}.partial-${process.pid}`;
  try {
    await writeFile(partial, bytes, { mode: 0o600 });
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Dumps a data dir no process holds: opens it (taking its lock), dumps, closes. */
export async function dumpClosedDataDir(dataDir: string): Promise<Uint8Array> {
  if (!isNonEmptyDir(dataDir)) throw new BackupError(`nothing to back up: ${dataDir} does not exist or is empty`);
  const database = await openPGlite({ dataDir, lockPurpose: 'npm run backup' });
  try {
    return new Uint8Array(await (await database.dumpDataDir!()).arrayBuffer());
  } finally {
    await database.close();
  }
}

export interface RestoreResult {
  /** Where an existing data dir was moved to (only with `force`). */
  movedAside: string | null;
  verify: VerifyReport;
}

/**
 * Loads a backup into `dataDir`, which must be missing or empty unless `force` (then the current
 * one is moved aside, never deleted), and verifies every hash chain of the restored log.
 */
export async function restoreDataDir(file: string, dataDir: string, options: { force?: boolean } = {}): Promise<RestoreResult> {
  const bytes = await readBackupFile(file);
  let movedAside: string | null = null;
  if (isNonEmptyDir(dataDir)) {
    if (!options.force) throw new BackupError(`${dataDir} is not empty: restore only into an empty data dir, or use --force to move the current one aside`);
    movedAside = `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dataDir, movedAside);
  }
  const database = await openPGlite({ dataDir, lockPurpose: 'npm run restore', loadDataDir: new Blob([bytes]) });
  try {
    const verify = await new SqlEventStore(database, { notify: false }).verify();
    return { movedAside, verify };
  } finally {
    await database.close();
  }
}

async function readBackupFile(file: string): Promise<Uint8Array> {
  if (!existsSync(file)) throw new BackupError(`no such backup file: ${file}`);
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) throw new BackupError(`${file} is not a backup of the embedded store (not a gzip tarball)`);
  } finally {
    await handle.close();
  }
  return new Uint8Array(await readFile(file));
}

function isNonEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/** Input or state that makes a backup or restore impossible; the CLI prints it as one line. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}
