import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/application/clock';
import { START } from '../../src/application/event-store';
import { LedgerSealer } from '../../src/application/ledger/ledger-sealer';
import { generateLedgerKeyPem, ledgerKeyFromPem, ledgerKeyPath } from '../../src/application/ledger/signing-key';
import type { TreeHead } from '../../src/application/ledger/tree-head';
import { main } from '../../src/cli/audit-verify';
import { migrateToLatest } from '../../src/storage/migrate';
import { openPGlite } from '../../src/storage/pglite-database';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { asDba, rewriteWithValidHashes } from './tamper';

const run = promisify(execFile);

/** The real command, as an auditor runs it: a separate process reading a PGlite DATA_DIR. */
async function auditVerify(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts', ...args], {
      cwd: process.cwd(),
      env: { ...process.env, LEDGER_SIGNING_KEY: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run audit:verify on a PGlite data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'audit-verify-'));
  const headFile = join(dataDir, 'kept-head.json');
  const keyFile = join(dataDir, 'public.pem');
  const pem = generateLedgerKeyPem();
  const key = ledgerKeyFromPem(pem);
  let head: TreeHead;

  async function open(): Promise<SqlDatabase> {
    return openPGlite({ dataDir: join(dataDir, 'pglite') });
  }

  beforeAll(async () => {
    const database = await open();
    await migrateToLatest(database);
    const store = new SqlEventStore(database, { notify: false });
    for (let i = 0; i < 6; i++) await store.append(`case-${i}`, [newEvent('Recorded', { i }), newEvent('Recorded', { i, second: true })], 'no_stream');
    const sealer = new LedgerSealer(key, new FixedClock(new Date('2026-03-02T09:00:00.000Z')), { everyEvents: 1000, everySeconds: 60 });
    const page = await store.readAll(START, 1000);
    await database.db.transaction().execute((trx) => sealer.seal(trx, page.events));
    head = (await sealer.sealHead(database.db, true))!;
    await database.close();
    writeFileSync(headFile, JSON.stringify(head, null, 2));
    writeFileSync(keyFile, key.publicKey.export({ type: 'spki', format: 'pem' }));
    // A file-backed PGlite and a separate process each: slow on a shared machine.
  }, 240_000);
  afterAll(() => undefined);

  it('exits 0 on an untouched log, reporting what it checked', async () => {
    const result = await auditVerify(['--head', headFile, '--data-dir', dataDir, '--public-key', keyFile]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('log extends it');
    expect(result.stdout).toContain('12 events');
    expect(head.treeSize).toBe(12);
  }, 180_000);

  it('exits 1 after one event was rewritten with valid hashes, naming the first differing leaf; the key comes from DATA_DIR', async () => {
    const database = await open();
    await asDba(database.db, (trx) => rewriteWithValidHashes(trx, 'case-2', 1, { i: 2, amountFen: 1 }));
    await database.close();
    writeFileSync(ledgerKeyPath(dataDir), pem);
    const result = await auditVerify(['--head', headFile, '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('DOES NOT extend it');
    expect(result.stdout).toMatch(/first differing leaf: #4: sealed case-2 v1/);
  }, 240_000);

  it('exits 2 with the usage on bad arguments, 0 with --help', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const run = (args: string[]) =>
      main(
        args,
        (s) => out.push(s),
        (s) => err.push(s),
      );
    expect(await run([])).toBe(2);
    expect(err.join('')).toContain('--head is required');
    expect(await run(['--head', join(dataDir, 'missing.json')])).toBe(2);
    writeFileSync(join(dataDir, 'bad.json'), '{"treeSize": "x"}');
    expect(await run(['--head', join(dataDir, 'bad.json'), '--data-dir', dataDir])).toBe(2);
    expect(err.join('')).toContain('not a signed tree head');
    expect(await run(['--help'])).toBe(0);
    expect(out.join('')).toContain('Usage: npm run audit:verify');
  });

  it('takes the last head of a daily heads file (JSON Lines)', async () => {
    const file = join(dataDir, 'heads.jsonl');
    const older = { ...head, treeSize: 3 };
    writeFileSync(file, `${JSON.stringify(older)}\n${JSON.stringify(head)}\n`);
    const { readHeadFile } = await import('../../src/cli/audit-verify');
    expect(readHeadFile(`${JSON.stringify(older)}\n${JSON.stringify(head)}\n`)).toEqual(head);
  });
});
