import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock, announceEndpoint, DataDirLockedError, liveHolder, lockPathFor } from '../../src/storage/data-dir-lock';

/** Issue 14 item 5: one process owns an embedded data dir; others are refused at once. */
describe('the embedded data-dir lock', () => {
  const root = mkdtempSync(join(tmpdir(), 'sws-lock-'));
  let other: ChildProcess;

  beforeAll(() => {
    // Another live process to name as the holder (its pid exists while the tests run).
    other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)'], { stdio: 'ignore' });
  });
  afterAll(async () => {
    other.kill();
    await rm(root, { recursive: true, force: true });
  });

  const holderFile = (dir: string, pid: number, endpoint?: string) =>
    writeFileSync(
      lockPathFor(dir),
      JSON.stringify({ pid, hostname: 'vm', startedAt: '2026-12-01T08:00:00.000Z', purpose: 'npm run start', ...(endpoint ? { endpoint } : {}) }),
    );

  describe('when a live service holds the dir', () => {
    it('refuses at once, naming its pid and the endpoints to use instead', () => {
      const dir = join(root, 'live');
      holderFile(dir, other.pid!, 'http://127.0.0.1:31555');
      let error: unknown;
      try {
        acquireDataDirLock(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DataDirLockedError);
      const message = (error as Error).message;
      expect(message).toContain(`pid ${other.pid}`);
      expect(message).toContain('http://127.0.0.1:31555/api/v1/projections/NAME/rebuild');
      expect(message).toContain('http://127.0.0.1:31555/api/v1/admin/backup');
      expect(message).not.toContain('\n');
      expect(liveHolder(dir)?.pid).toBe(other.pid);
    });

    it('says to wait when the holder is a command with no address', () => {
      const dir = join(root, 'cli');
      holderFile(dir, other.pid!);
      expect(() => acquireDataDirLock(dir)).toThrow(/wait for it to finish or stop it first/);
    });
  });

  describe('when the holder is gone (crash, kill -9)', () => {
    it('takes the lock over', async () => {
      const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
      await new Promise((r) => dead.on('exit', r));
      const dir = join(root, 'stale');
      holderFile(dir, dead.pid!);
      expect(liveHolder(dir)).toBeNull();
      const lock = acquireDataDirLock(dir, 'test');
      expect(JSON.parse(readFileSync(lockPathFor(dir), 'utf8')).pid).toBe(process.pid);
      lock.release();
      expect(existsSync(lockPathFor(dir))).toBe(false);
    });

    it('takes over a lock naming this very pid that this process does not hold (a restarted container is pid 1 again)', () => {
      const dir = join(root, 'same-pid');
      holderFile(dir, process.pid);
      const lock = acquireDataDirLock(dir, 'test');
      lock.release();
    });
  });

  describe('when this process already holds it', () => {
    it('refuses a second open in the same process, and records the address once listening', () => {
      const dir = join(root, 'mine');
      const lock = acquireDataDirLock(dir, 'service');
      try {
        expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
        announceEndpoint('http://127.0.0.1:31556');
        expect(JSON.parse(readFileSync(lockPathFor(dir), 'utf8'))).toMatchObject({ pid: process.pid, endpoint: 'http://127.0.0.1:31556', purpose: 'service' });
      } finally {
        lock.release();
      }
      expect(existsSync(lockPathFor(dir))).toBe(false);
    });
  });
});
