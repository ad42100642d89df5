import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';

/**
 * One process owns an embedded (PGlite) data directory. PGlite runs PostgreSQL inside the
 * process with no shared-memory interlock of its own: a second process opening the same files
 * (npm run migrate, projections:rebuild, a second service) corrupts them or dies in WASM code.
 *
 * The owner keeps `<dir>.lock` beside the directory (not inside it, so it is never part of a
 * data-dir dump): JSON with its pid, start time and, once listening, the service's address.
 * Another process that finds a lock whose pid is alive is refused at once with that pid and the
 * address to use instead. A lock whose pid is gone (a crash, kill -9) is taken over; so is one
 * naming this very pid when this process does not hold it (a restarted container is pid 1 again).
 */
export interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
  /** Where the holding service listens, once it does (http://host:port). */
  endpoint?: string;
  /** What the holder is, e.g. "service" or "npm run migrate". */
  purpose: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const where = holder.endpoint ? `the service at ${holder.endpoint}` : `${holder.purpose} (it has no HTTP address)`;
    const instead = holder.endpoint
      ? `; use its endpoints instead (POST ${holder.endpoint}/api/v1/projections/NAME/rebuild, GET ${holder.endpoint}/api/v1/admin/backup — npm run backup does that), or stop it first`
      : '; wait for it to finish or stop it first';
    super(`the embedded data directory ${dataDir} is in use by pid ${holder.pid} on ${holder.hostname}, ${where}, since ${holder.startedAt}${instead}`);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Records where the owning service listens, for the refusal message of others. */
  setEndpoint(endpoint: string): void;
  release(): void;
}

const held = new Map<string, { lock: DataDirLock; holder: LockHolder }>();
let exitHookInstalled = false;

export const lockPathFor = (dataDir: string) => `${dataDir.replace(/\/+$/, '')}.lock`;

/** Takes the lock or throws DataDirLockedError. Synchronous: refusal is immediate. */
export function acquireDataDirLock(dataDir: string, purpose = defaultPurpose()): DataDirLock {
  const path = lockPathFor(dataDir);
  if (held.has(path)) throw new DataDirLockedError(dataDir, held.get(path)!.holder);
  mkdirSync(dirname(path), { recursive: true });
  const holder: LockHolder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), purpose };

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      const lock = makeLock(path, holder);
      held.set(path, { lock, holder });
      installExitHook();
      return lock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readHolder(path);
      if (current && isAlive(current.pid) && current.pid !== process.pid) throw new DataDirLockedError(dataDir, current);
      // Stale (its process is gone) or unreadable (a crash mid-write): remove and try once more.
      // If another process wins that race, the second attempt reads its lock and refuses.
      rmSync(path, { force: true });
    }
  }
  const winner = readHolder(path);
  if (winner) throw new DataDirLockedError(dataDir, winner);
  throw new Error(`could not take the lock ${path}`);
}

/** Records the service's address in every data-dir lock this process holds. */
export function announceEndpoint(endpoint: string): void {
  for (const { lock } of held.values()) lock.setEndpoint(endpoint);
}

/** The holder named in a lock file, if any (used by `npm run backup` to find the service). */
export function readHolder(path: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' ? (parsed as LockHolder) : null;
  } catch {
    return null;
  }
}

/** The live holder of a data dir's lock, or null when it is free (or stale). */
export function liveHolder(dataDir: string): LockHolder | null {
  const holder = readHolder(lockPathFor(dataDir));
  return holder && isAlive(holder.pid) && !(holder.pid === process.pid && !held.has(lockPathFor(dataDir))) ? holder : null;
}

function makeLock(path: string, holder: LockHolder): DataDirLock {
  let released = false;
  return {
    path,
    setEndpoint(endpoint) {
      if (released) return;
      holder.endpoint = endpoint;
      // Write-then-rename so a reader never sees half a file.
      writeFileSync(`${path}.tmp-${process.pid}`, JSON.stringify(holder));
      renameSync(`${path}.tmp-${process.pid}`, path);
    },
    release() {
      if (released) return;
      released = true;
      held.delete(path);
      if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A normal exit without close() (process.exit in a CLI) still frees the directory.
  process.on('exit', () => {
    for (const { lock } of [...held.values()]) lock.release();
  });
}

function defaultPurpose(): string {
  const script = process.env.npm_lifecycle_event;
  return script ? `npm run ${script}` : `node ${basename(process.argv[1] ?? 'process')}`;
}
