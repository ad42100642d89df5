import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyIdOf } from './tree-head';

/**
 * The ledger's Ed25519 key. It never goes into the database: a DBA who can rewrite every row
 * still cannot sign a head. From LEDGER_SIGNING_KEY (PKCS#8 PEM), else a key file under DATA_DIR
 * generated on first start (like the JWT secret).
 */
export interface LedgerKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  /** Where it came from, for the start-up message (never the key itself). */
  source: 'env' | 'file' | 'generated';
}

export const ledgerKeyPath = (dataDir: string) => join(dataDir, 'ledger-ed25519.pem');

export function ledgerKeyFromPem(pem: string, source: LedgerKey['source'] = 'env'): LedgerKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the ledger signing key must be an Ed25519 private key (PKCS#8 PEM)');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), source };
}

export function generateLedgerKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The configured key, or the one under DATA_DIR, generating it (mode 0600) the first time. */
export function loadLedgerKey(config: { LEDGER_SIGNING_KEY?: string | undefined; DATA_DIR: string }): LedgerKey {
  if (config.LEDGER_SIGNING_KEY) return ledgerKeyFromPem(config.LEDGER_SIGNING_KEY.replaceAll('\\n', '\n'), 'env');
  const path = ledgerKeyPath(config.DATA_DIR);
  if (existsSync(path)) return ledgerKeyFromPem(readFileSync(path, 'utf8'), 'file');
  mkdirSync(config.DATA_DIR, { recursive: true });
  const pem = generateLedgerKeyPem();
  // 'wx': never overwrite a key another process wrote a moment ago.
  try {
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return ledgerKeyFromPem(readFileSync(path, 'utf8'), 'file');
    throw error;
  }
  return ledgerKeyFromPem(pem, 'generated');
}

/** A public key from an auditor's file: SPKI PEM, or a PKCS#8 private key PEM (its public half). */
export function publicKeyFromPem(pem: string): KeyObject {
  const key = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  return key;
}
