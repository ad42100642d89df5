import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateLedgerKeyPem, ledgerKeyPath, loadLedgerKey, publicKeyFromPem } from '../../src/application/ledger/signing-key';
import { signTreeHead, verifyTreeHead } from '../../src/application/ledger/tree-head';

describe('the ledger signing key', () => {
  it('is generated under DATA_DIR on first start (mode 0600) and the same key is loaded afterwards', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ledger-key-')), 'data');
    const first = loadLedgerKey({ DATA_DIR: dataDir });
    expect(first.source).toBe('generated');
    expect(statSync(ledgerKeyPath(dataDir)).mode & 0o777).toBe(0o600);
    const second = loadLedgerKey({ DATA_DIR: dataDir });
    expect(second.source).toBe('file');
    expect(second.keyId).toBe(first.keyId);
    expect(readFileSync(ledgerKeyPath(dataDir), 'utf8')).toContain('BEGIN PRIVATE KEY');
  });

  it('comes from LEDGER_SIGNING_KEY when set, and nothing is written', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ledger-key-')), 'data');
    const pem = generateLedgerKeyPem();
    const key = loadLedgerKey({ LEDGER_SIGNING_KEY: pem, DATA_DIR: dataDir });
    expect(key.source).toBe('env');
    expect(() => statSync(ledgerKeyPath(dataDir))).toThrow();
  });

  it('refuses a key that is not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadLedgerKey({ LEDGER_SIGNING_KEY: rsa, DATA_DIR: '/nonexistent' })).toThrow(/Ed25519/);
  });

  it('signs heads that verify with the published public key only, and not once any field changes', () => {
    const key = loadLedgerKey({ LEDGER_SIGNING_KEY: generateLedgerKeyPem(), DATA_DIR: '/nonexistent' });
    const head = signTreeHead({ treeSize: 10, rootHash: 'ab'.repeat(32), timestamp: '2026-03-02T09:00:00.000Z' }, key.privateKey);
    const published = publicKeyFromPem(key.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(verifyTreeHead(head, published)).toBe(true);
    expect(verifyTreeHead({ ...head, treeSize: 9 }, published)).toBe(false);
    expect(verifyTreeHead({ ...head, timestamp: '2026-03-02T09:00:01.000Z' }, published)).toBe(false);
    const other = loadLedgerKey({ LEDGER_SIGNING_KEY: generateLedgerKeyPem(), DATA_DIR: '/nonexistent' });
    expect(verifyTreeHead(head, other.publicKey)).toBe(false);
  });
});
