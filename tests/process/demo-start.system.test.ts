import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portFromBanner } from '../support/service-banner';
import { eventually } from '../support/wait';

/**
 * `DEMO=1 npm start` as a person runs it (src/main.ts, the one process): the banner names the
 * county's clock and the demo users, the load is reported as it goes, and the service answers
 * /health as soon as it listens and /ready once the tiny county is in. The "before" state is
 * observed deterministically in tests/demo/demo-mode.system.test.ts (a gate chapter); this test
 * checks the wiring of main.ts.
 */
const root = join(import.meta.dirname, '..', '..');

describe('DEMO=1 npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sws-demo-start-'));
  let child: ChildProcess | null = null;
  afterAll(() => {
    if (child?.pid && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the demo banner, serves /health at once and /ready once the county is loaded, and stops on SIGTERM', async () => {
    const { TEST_DATABASE_URL: _t, DATABASE_URL: _d, ...env } = process.env;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...env,
        DEMO: '1',
        DEMO_SCALE: 'tiny',
        DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        JWT_SECRET: 'a-test-secret-that-is-long-enough-for-hs256',
      },
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += String(chunk)));
    child.stderr!.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    const port = await portFromBanner(() => output);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(output).toContain('演示模式 Demo mode: 县里的时钟 county clock 2023-12-20 09:');
    expect(output).toContain(`curl http://127.0.0.1:${port}/api/v1/demo/users`);

    const ready = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/ready`);
      const body = (await res.json()) as { demo: { load: { state: string } } };
      if (res.status !== 200) throw new Error(`not ready: ${JSON.stringify(body.demo)}`);
      return body;
    }, 240_000);
    expect(ready.demo.load.state).toBe('loaded');
    expect(output).toMatch(/载入中 loading「geography」/);
    expect(output).toContain('已载入，服务就绪 loaded, ready');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 420_000);
});
