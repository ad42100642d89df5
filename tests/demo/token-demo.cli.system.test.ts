import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVerifier } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Service } from '../../src/composition-root';
import { loadConfig } from '../../src/config';
import { DEMO_ROLES } from '../../src/demo/demo-users';
import { announceEndpoint } from '../../src/storage/data-dir-lock';
import { openPGlite } from '../../src/storage/pglite-database';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { silentLogger } from '../support/logger';
import { TEST_SECRET, TEST_SERVICE_ENV } from '../support/test-app';
import { runnerWith } from './support/runner';
import { staffChapter } from './support/staff-chapter';

/**
 * `npm run token -- --demo` as a person runs it: beside a running DEMO=1 service (which owns the
 * embedded data dir, so the command asks it) and after it stopped (the command reads the data
 * dir itself). Both print one user per role, with tokens the service verifies.
 */
const root = join(import.meta.dirname, '..', '..');

function token(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'TEST_DATABASE_URL', 'JWT_SECRET', 'DATA_DIR', 'DEBUG', 'DEMO'].includes(k)),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', ...args], {
    cwd: root,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The `export DEMO_ROLE_TOKEN=…` lines, by role. */
function exportsOf(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const match of stdout.matchAll(/^export DEMO_([A-Z_]+)_TOKEN=(\S+)$/gm)) out.set(match[1]!.toLowerCase(), match[2]!);
  return out;
}

const verify = createVerifier({ key: TEST_SECRET, algorithms: ['HS256'] });

describe('npm run token -- --demo', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sws-demo-token-'));
  const cliEnv = { DATA_DIR: dataDir, JWT_SECRET: TEST_SECRET };
  let database: SqlDatabase | null = null;
  let service: Service | null = null;
  let address = '';
  const subsByRole = new Map<string, string>();

  beforeAll(async () => {
    const config = loadConfig({
      DEMO: '1',
      DEMO_SCALE: 'tiny',
      DEMO_SEED: 'token-cli-test',
      DATA_DIR: dataDir,
      ...TEST_SERVICE_ENV,
      PROJECTION_POLL_MS: '50',
    });
    database = await openPGlite({ dataDir: join(dataDir, 'pglite'), lockPurpose: 'token-demo test service' });
    service = await compose(config, { database, logger: silentLogger, demoRunner: runnerWith([], [staffChapter]) });
    await service.start();
    address = await service.app.listen({ port: 0, host: '127.0.0.1' });
    announceEndpoint(address);
    await service.demo!.start(service);
    expect(service.demo!.status().load.state).toBe('loaded');
  }, 300_000);
  afterAll(async () => {
    await service?.stop();
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('beside the running service: asks it, and prints one user per role with a token for each', async () => {
    const r = await token(['--demo'], cliEnv);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`(${address})`);
    const tokens = exportsOf(r.stdout);
    expect([...tokens.keys()].sort()).toEqual([...DEMO_ROLES].sort());
    for (const [role, jwt] of tokens) {
      const claims = verify(jwt) as { sub: string; role: string; exp: number; iat: number };
      expect(claims.role).toBe(role);
      // Twelve hours on the real clock, well inside what the service accepts (24 h).
      expect(claims.exp - claims.iat).toBe(12 * 3600);
      subsByRole.set(role, claims.sub);
      // Each worker role signs in as a worker the demo county knows, named in its comment line.
      if (!['admin', 'auditor', 'evaluator'].includes(role)) expect(r.stdout).toMatch(new RegExp(`\\[${role}\\]: \\S+（\\S+ \\S+ ${claims.sub}）`));
    }
    // The service accepts them: the evaluator's token reads the towns.
    const res = await fetch(`${address}/api/v1/towns`, { headers: { authorization: `Bearer ${tokens.get('evaluator')}` } });
    expect(res.status).toBe(200);
  }, 120_000);

  it('after the service stopped: reads the data dir itself and finds the same users', async () => {
    await service!.stop();
    await database!.close();
    service = null;
    database = null;
    const r = await token(['--demo', '--json'], cliEnv);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { countyDay: string; items: { role: string; sub: string; token: string }[] };
    expect(body.countyDay).toBe('2023-12-20');
    expect(new Map(body.items.map((u) => [u.role, u.sub]))).toEqual(subsByRole);
    for (const user of body.items) expect(verify(user.token)).toMatchObject({ sub: user.sub, role: user.role });
  }, 120_000);

  it('on a data dir without a demo county: one line saying so, exit 1', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sws-demo-token-empty-'));
    try {
      const r = await token(['--demo'], { DATA_DIR: empty, JWT_SECRET: TEST_SECRET });
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(/^token: no demo county in this database/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 120_000);
});
