import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Service } from '../../src/composition-root';
import { loadConfig } from '../../src/config';
import { acquireDataDirLock, DataDirLockedError } from '../../src/storage/data-dir-lock';
import { restoreDataDir, writeBackupFile } from '../../src/storage/embedded-backup';
import { openPGlite } from '../../src/storage/pglite-database';
import { silentLogger } from '../support/logger';
import { bearer, startTestApp, TEST_SECRET } from '../support/test-app';
import { postgresUrl } from '../support/test-database';
import { eventually } from '../support/wait';
import type { TreeHead } from '../../src/application/ledger/tree-head';

/**
 * Issue 14, items 5 and 7: the embedded store is backed up by the running service (no
 * downtime), restored into an empty data dir, and the restored log's hash chains verify.
 */
describe('backup and restore of the embedded store', () => {
  const root = mkdtempSync(join(tmpdir(), 'sws-backup-'));
  // Does not exist yet: the service creates it although JWT_SECRET is set (item 7).
  const dataDir = join(root, 'not', 'yet', 'there');
  let service: Service;
  let admin: string;
  let backupFile: string;
  let sha256 = '';
  // A signed tree head an auditor kept before the backup: the restored log must still extend it.
  let kept: TreeHead;

  beforeAll(async () => {
    service = await compose(loadConfig({ JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', DATA_DIR: dataDir }), { logger: silentLogger });
    await service.start();
    await service.app.ready();
    admin = service.app.jwt.sign({ sub: 'admin-1', role: 'admin' });
    for (const [code, name] of [
      ['530626100', '中城镇'],
      ['530626101', '东城镇'],
    ]) {
      const res = await service.app.inject({ method: 'POST', url: '/api/v1/towns', headers: bearer(admin), payload: { code, name } });
      expect(res.statusCode).toBe(201);
    }
    backupFile = join(root, 'backup.tar.gz');
    const events = (await service.deps.store.verify()).eventsChecked;
    kept = await eventually(async () => {
      await service.ledger.sealHeadNow();
      const head = await service.ledger.latestHead({ id: 'auditor-1', role: 'auditor' });
      expect(head.treeSize).toBe(events);
      return head;
    }, 30_000);
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('creates a DATA_DIR that does not exist yet, and holds a lock beside its PGlite files', () => {
    expect(readdirSync(dataDir)).toContain('pglite');
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(true);
  });

  it('refuses a second opener of the live data dir at once, naming the pid', async () => {
    await expect(openPGlite({ dataDir: join(dataDir, 'pglite') })).rejects.toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(join(dataDir, 'pglite'))).toThrow(new RegExp(`pid ${process.pid}`));
  });

  it('refuses the backup to every role but admin', async () => {
    const auditor = service.app.jwt.sign({ sub: 'auditor-1', role: 'auditor' });
    const res = await service.app.inject({ method: 'GET', url: '/api/v1/admin/backup', headers: bearer(auditor) });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('gives an admin a gzip tarball of the live store with its SHA-256', async () => {
    const res = await service.app.inject({ method: 'GET', url: '/api/v1/admin/backup', headers: bearer(admin) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="sws-backup-.*\.tar\.gz"$/);
    const body = res.rawPayload;
    expect([body[0], body[1]]).toEqual([0x1f, 0x8b]);
    sha256 = createHash('sha256').update(body).digest('hex');
    expect(res.headers['x-backup-sha256']).toBe(sha256);
    const written = await writeBackupFile(backupFile, body);
    expect(written.sha256).toBe(sha256);
    // The service keeps serving after the dump.
    const list = await service.app.inject({ method: 'GET', url: '/api/v1/towns', headers: bearer(admin) });
    expect(list.json().items).toHaveLength(2);
  }, 60_000);

  it('never overwrites an existing backup file unless told to', async () => {
    await expect(writeBackupFile(backupFile, new Uint8Array([1]))).rejects.toThrow(/already exists/);
  });

  it('restores into an empty data dir, verifies every chain, and the restored service serves the data', async () => {
    const target = join(root, 'restored', 'pglite');
    const result = await restoreDataDir(backupFile, target);
    expect(result.movedAside).toBeNull();
    expect(result.verify.broken).toEqual([]);
    expect(result.verify.eventsChecked).toBeGreaterThanOrEqual(2);
    expect(existsSync(`${target}.lock`)).toBe(false);

    const original = await service.deps.store.verify();
    expect(result.verify.eventsChecked).toBe(original.eventsChecked);
    expect(result.verify.streamsChecked).toBe(original.streamsChecked);

    // The key files (ledger signing key, MAC key, person-index key) are not in the dump: they are
    // backed up apart from it, as README "Backup and restore" says, and put back beside the data.
    const restoredDir = join(root, 'restored');
    mkdirSync(restoredDir, { recursive: true });
    for (const name of readdirSync(dataDir))
      if (statSync(join(dataDir, name)).isFile() && !name.endsWith('.lock')) copyFileSync(join(dataDir, name), join(restoredDir, name));
    const restored = await compose(loadConfig({ JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', DATA_DIR: restoredDir }), { logger: silentLogger });
    try {
      await restored.app.ready();
      const res = await restored.app.inject({ method: 'GET', url: '/api/v1/towns', headers: bearer(admin) });
      expect(
        res
          .json()
          .items.map((t: { name: string }) => t.name)
          .sort(),
      ).toEqual(['东城镇', '中城镇'].sort());
      // The ledger: the restored log still extends the head kept before the backup, every chain and
      // MAC verifies with the original keys, and the sealed leaves match the log.
      const report = await restored.ledger.verify({ id: 'auditor-1', role: 'auditor' }, kept);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.keptHead?.extended).toBe(true);
    } finally {
      await restored.stop();
    }
  }, 120_000);

  it('refuses to restore over a non-empty data dir, and with force moves it aside rather than deleting it', async () => {
    const target = join(root, 'restored', 'pglite');
    await expect(restoreDataDir(backupFile, target)).rejects.toThrow(/not empty/);
    const result = await restoreDataDir(backupFile, target, { force: true });
    expect(result.movedAside).toMatch(/pglite\.before-restore-/);
    expect(readdirSync(result.movedAside!).length).toBeGreaterThan(0);
    expect(result.verify.broken).toEqual([]);
  }, 120_000);

  it('refuses a file that is not a backup, and a missing one', async () => {
    const bogus = join(root, 'bogus.tar.gz');
    writeFileSync(bogus, 'not a tarball');
    await expect(restoreDataDir(bogus, join(root, 'other', 'pglite'))).rejects.toThrow(/not a backup/);
    await expect(restoreDataDir(join(root, 'missing.tar.gz'), join(root, 'other', 'pglite'))).rejects.toThrow(/no such backup file/);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('backup endpoint on PostgreSQL', () => {
  it('answers 409 problem+json pointing to pg_dump', async () => {
    expect(await postgresUrl()).toBeTruthy();
    const t = await startTestApp({ backend: 'postgres' });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/admin/backup', headers: bearer(t.token('admin')) });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ type: '/problems/backup-unsupported', status: 409 });
      expect(res.json().title).toMatch(/pg_dump/);
    } finally {
      await t.close();
    }
  }, 60_000);
});
