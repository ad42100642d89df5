import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 14 item 6, as an operator meets the commands: every one has --help (exit 0, nothing
 * opened), and bad input is one readable line on stderr with a non-zero exit, never a stack.
 */
const COMMANDS = {
  token: 'src/cli/token.ts',
  migrate: 'src/cli/migrate.ts',
  'projections:rebuild': 'src/cli/rebuild-projection.ts',
  backup: 'src/cli/backup.ts',
  restore: 'src/cli/restore.ts',
  'bench:store': 'bench/store.bench.ts',
} as const;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'TEST_DATABASE_URL', 'JWT_SECRET', 'DATA_DIR', 'DEBUG'].includes(k)),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/**
 * Runs the given commands two at a time: each is a node + tsx start, and the suite shares two
 * cores with other test files (six at once starved their PGlite start-ups into timeouts).
 */
async function runAll<const T extends readonly (() => Promise<Run>)[]>(jobs: T): Promise<{ -readonly [K in keyof T]: Run }> {
  const results: Run[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all([worker(), worker()]);
  return results as { -readonly [K in keyof T]: Run };
}

/** One line, prefixed with the command's name, and no stack frame. */
function expectOneLine(r: Run, name: string) {
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]!.startsWith(`${name}: `), r.stderr).toBe(true);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('command-line manners', () => {
  const root = mkdtempSync(join(tmpdir(), 'sws-cli-'));
  let holder: ChildProcess;
  const heldDataDir = join(root, 'held');

  beforeAll(() => {
    // A live process recorded as the service owning heldDataDir.
    holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)'], { stdio: 'ignore' });
    mkdirSync(join(heldDataDir, 'pglite'), { recursive: true });
    writeFileSync(
      join(heldDataDir, 'pglite.lock'),
      JSON.stringify({ pid: holder.pid, hostname: 'vm', startedAt: '2026-12-01T08:00:00.000Z', purpose: 'npm run start', endpoint: 'http://127.0.0.1:31557' }),
    );
  });
  afterAll(async () => {
    holder.kill();
    await rm(root, { recursive: true, force: true });
  });

  it('every command answers --help with its usage and exits 0', async () => {
    const runs = await runAll(Object.values(COMMANDS).map((file) => () => run(file, ['--help'], { DATA_DIR: heldDataDir })));
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^usage: npm run/);
      expect(r.stderr).toBe('');
    }
  }, 180_000);

  it('every command refuses an unknown option in one line with exit 2', async () => {
    const entries = Object.entries(COMMANDS);
    const runs = await runAll(
      entries.map(
        ([, file]) =>
          () =>
            run(file, ['--frobnicate']),
      ),
    );
    runs.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(2);
      expectOneLine(r, entries[i]![0]);
      expect(r.stderr).toMatch(/--frobnicate/);
    });
  }, 180_000);

  it('names what is missing or wrong in the arguments', async () => {
    const [token, rebuild, unknown, both, backup, restore, bench] = await runAll([
      () => run(COMMANDS.token, []),
      () => run(COMMANDS['projections:rebuild'], []),
      () => run(COMMANDS['projections:rebuild'], ['geography', 'nope']),
      () => run(COMMANDS['projections:rebuild'], ['--all', 'geography']),
      () => run(COMMANDS.backup, []),
      () => run(COMMANDS.restore, ['/nonexistent/backup.tar.gz'], { DATA_DIR: join(root, 'empty') }),
      () => run(COMMANDS['bench:store'], []),
    ]);
    expect(token.code).toBe(2);
    expectOneLine(token, 'token');
    expect(token.stderr).toMatch(/--role must be one of/);
    expect(rebuild.code).toBe(2);
    expect(rebuild.stderr).toMatch(/missing NAME/);
    expect(unknown.code).toBe(2);
    expectOneLine(unknown, 'projections:rebuild');
    expect(unknown.stderr).toMatch(/unknown projection nope; one of: .*geography/);
    expect(both.code).toBe(2);
    expectOneLine(both, 'projections:rebuild');
    expect(both.stderr).toMatch(/either NAME… or --all, not both/);
    expect(backup.code).toBe(2);
    expect(backup.stderr).toMatch(/missing FILE/);
    expect(restore.code).toBe(1);
    expectOneLine(restore, 'restore');
    expect(restore.stderr).toMatch(/no such backup file/);
    // bench:store never guesses a server.
    expect(bench.code).toBe(2);
    expectOneLine(bench, 'bench:store');
    expect(bench.stderr).toMatch(/--database-url .* or --pglite/);
  }, 180_000);

  it('a bad database URL is one line that names the server, not the password, and no stack', async () => {
    const [unreachable, malformed] = await runAll([
      () => run(COMMANDS.migrate, [], { DATABASE_URL: 'postgres://someone:s3cret@127.0.0.1:1/db' }),
      () => run(COMMANDS.migrate, [], { DATABASE_URL: 'not a url' }),
    ]);
    expect(unreachable.code).toBe(1);
    expectOneLine(unreachable, 'migrate');
    expect(unreachable.stderr).toMatch(/cannot connect to the database at 127\.0\.0\.1:1/);
    expect(unreachable.stderr).not.toMatch(/s3cret|migration unknown/);
    expect(malformed.code).toBe(2);
    expectOneLine(malformed, 'migrate');
    expect(malformed.stderr).toMatch(/DATABASE_URL/);
  }, 180_000);

  // A new store holds the policies the service starts with: events to apply.
  it('projections:rebuild --all rebuilds every projection of an embedded store in one pass and says so', async () => {
    const [all] = await runAll([() => run(COMMANDS['projections:rebuild'], ['--all'], { DATA_DIR: join(root, 'fresh') })] as const);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr).toMatch(/rebuild 16 projections: 16 projections, [1-9]\d* events applied, lag 0 \(\d+\.\d s\)/);
  }, 180_000);

  it('migrate, projections:rebuild and restore respect a live holder of the data dir', async () => {
    const [migrate, rebuild, restore] = await runAll([
      () => run(COMMANDS.migrate, [], { DATA_DIR: heldDataDir }),
      () => run(COMMANDS['projections:rebuild'], ['geography'], { DATA_DIR: heldDataDir }),
      () => run(COMMANDS.restore, [join(root, 'x.tar.gz')], { DATA_DIR: heldDataDir }),
    ]);
    for (const [r, name] of [
      [migrate, 'migrate'],
      [rebuild, 'projections:rebuild'],
    ] as const) {
      expect(r.code, r.stderr).toBe(2);
      expectOneLine(r, name);
      expect(r.stderr).toContain(`pid ${holder.pid}`);
      expect(r.stderr).toContain('http://127.0.0.1:31557/api/v1/projections/NAME/rebuild');
    }
    expect(restore.code).toBe(2);
    expectOneLine(restore, 'restore');
    expect(restore.stderr).toMatch(new RegExp(`pid ${holder.pid} \\(the service at http://127.0.0.1:31557\\): stop it before restoring`));
  }, 180_000);
});
