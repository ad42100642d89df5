import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm start` keeps the HS256 secret it generated when none was configured. */
export const secretPath = (dataDir: string) => join(dataDir, 'jwt-secret');

export function readLocalSecret(dataDir: string): string | null {
  const path = secretPath(dataDir);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : null;
}

export function ensureLocalSecret(dataDir: string): { secret: string; created: boolean } {
  const existing = readLocalSecret(dataDir);
  if (existing) return { secret: existing, created: false };
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(secretPath(dataDir), `${secret}\n`, { mode: 0o600 });
  chmodSync(secretPath(dataDir), 0o600);
  return { secret, created: true };
}
