import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portFromBanner } from '../support/service-banner';
import { eventually } from '../support/wait';

/**
 * `npm start` as a supervisor runs it (systemd, a container runtime, a CI job): one SIGTERM to
 * the npm process must stop everything it started (no node left serving the port or holding
 * the PGlite files) within 10 s. In a terminal, Ctrl-C sends SIGINT to the whole foreground
 * process group: npm and node each get it (npm forwards its own too), with the same outcome.
 */
const root = join(import.meta.dirname, '..', '..');

/** Processes whose process group is `pgid`, read from /proc (Linux). */
function processesInGroup(pgid: number): { pid: number; command: string }[] {
  const out: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: comm may contain spaces, so split after its closing paren.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') {
        out.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim() });
      }
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

describe.skipIf(process.platform !== 'linux')('npm start and SIGTERM or SIGINT', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sws-stop-'));
  let npm: ChildProcess | null = null;
  afterAll(() => {
    // Only if the test failed midway: nothing of ours may outlive it.
    if (npm?.pid && processesInGroup(npm.pid).length > 0) process.kill(-npm.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts `npm start`, checks it is one node process, sends `signal` to `target`, and waits. */
  async function startAndStop(extraEnv: Record<string, string>, signal: NodeJS.Signals, target: 'npm' | 'group'): Promise<void> {
    const { TEST_DATABASE_URL: _ignored, DATABASE_URL: _alsoIgnored, ...env } = process.env;
    npm = spawn('npm', ['start'], {
      cwd: root,
      // Its own process group, as under a supervisor, so every descendant can be found.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...env,
        DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        JWT_SECRET: 'a-test-secret-that-is-long-enough-for-hs256',
        ...extraEnv,
      },
    });
    let output = '';
    npm.stdout!.on('data', (chunk) => (output += String(chunk)));
    npm.stderr!.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<number | null>((resolve) => npm!.once('exit', (code) => resolve(code)));
    const pgid = npm.pid!;

    const port = await portFromBanner(() => output);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

    // npm and exactly one node: no tsx or shell in between that a signal would not reach.
    const running = processesInGroup(pgid);
    const nodes = running.filter((p) => /(^|\/)node\s/.test(p.command) && p.command.includes('src/main.ts'));
    expect(nodes).toHaveLength(1);
    expect(running.filter((p) => /^(\S*\/)?tsx\s|tsx\/dist\/cli|^(\S*\/)?sh -c/.test(p.command))).toEqual([]);

    const signalledAt = Date.now();
    // A supervisor signals npm; a terminal's Ctrl-C signals the whole foreground group.
    process.kill(target === 'npm' ? pgid : -pgid, signal);
    await exited;
    await eventually(() => expect(processesInGroup(pgid)).toEqual([]), 10_000);
    await eventually(async () => expect(await portIsFree(port)).toBe(true), 10_000);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(output).not.toContain('shutdown did not finish');
    npm = null;
  }

  it('runs one node process (PGlite), and a SIGTERM to npm stops it all and frees the port within 10 s', async () => {
    await startAndStop({}, 'SIGTERM', 'npm');
  }, 200_000);

  it('stops it all and frees the port within 10 s on Ctrl-C: SIGINT to the whole process group, npm and node at once', async () => {
    await startAndStop({}, 'SIGINT', 'group');
  }, 200_000);
});
