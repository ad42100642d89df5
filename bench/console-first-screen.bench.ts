/**
 * The console's first screen (issue 17: navigation → sign-in page interactive under 2 s on
 * localhost) and the worker screen after signing in, in Debian's Chromium, for one or more builds
 * of web/ side by side against the same running demo service.
 *
 *   npm run web:build -- --outDir /tmp/before   (on the old commit; then the new one into /tmp/after)
 *   SERVICE_URL=http://127.0.0.1:3150 npx tsx bench/console-first-screen.bench.ts \
 *     --dist before=/tmp/before --dist after=/tmp/after --runs 10
 *
 * Each build is served by the service's own console plugin (src/http/console.ts: the same files,
 * headers and compression a real start serves) on a port of its own, with /api/* passed to the
 * service; so every build sees the same API. Runs alternate between the builds (A B A B …) so that
 * load from elsewhere on the machine falls on both alike; each run is a fresh browser (cold memory
 * and disk cache). Prints the median and spread per build and the ratio to the first one; asserts
 * nothing about time.
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium } from 'playwright-core';
import { registerConsole } from '../src/http/console';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', multiple: true, default: [] },
    runs: { type: 'string', default: '10' },
    port: { type: 'string', default: '3160' },
    worker: { type: 'boolean', default: true },
  },
});
const SERVICE = process.env.SERVICE_URL ?? 'http://127.0.0.1:3150';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const runs = Number(values.runs);
const builds = values.dist.map((pair) => {
  const [name, dir] = pair.split('=') as [string, string];
  return { name, dir: resolve(dir) };
});
if (builds.length === 0) throw new Error('name at least one build: --dist name=/path/to/web/dist');

/** A build's own front door: the console plugin, and every other path relayed to the service. */
async function frontDoor(dir: string, port: number): Promise<FastifyInstance> {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  if (!(await registerConsole(app, dir))) throw new Error(`${dir} holds no index.html`);
  app.setNotFoundHandler(async (request, reply) => {
    const headers = new Headers();
    for (const [key, value] of Object.entries(request.headers)) if (typeof value === 'string' && key !== 'host') headers.set(key, value);
    const answer = await fetch(`${SERVICE}${request.url}`, {
      method: request.method,
      headers,
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : (request.body as Buffer),
    });
    reply.code(answer.status);
    answer.headers.forEach((value, key) => {
      if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(key)) reply.header(key, value);
    });
    return reply.send(Buffer.from(await answer.arrayBuffer()));
  });
  await app.listen({ port, host: '127.0.0.1' });
  return app;
}

interface Sample {
  signInMs: number;
  domContentLoadedMs: number;
  workerMs: number;
}

async function measure(base: string): Promise<Sample> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    // As the e2e measures it (tests/e2e/worker.e2e.test.ts): navigation start → demo buttons shown.
    await page.goto(`${base}/`);
    await page.locator('button[data-role="village_worker"]').waitFor({ state: 'visible', timeout: 60_000 });
    const signInMs = Number(await page.evaluate('performance.now()'));
    const domContentLoadedMs = Number(await page.evaluate('performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd'));
    let workerMs = Number.NaN;
    if (values.worker) {
      const clicked = Number(await page.evaluate('performance.now()'));
      await page.locator('button[data-role="village_worker"]').click();
      await page.getByTestId('record-visit').first().waitFor({ state: 'visible', timeout: 60_000 });
      workerMs = Number(await page.evaluate('performance.now()')) - clicked;
    }
    return { signInMs, domContentLoadedMs, workerMs };
  } finally {
    await browser.close();
  }
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const spread = (xs: number[]): string => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;

const doors = await Promise.all(builds.map((build, i) => frontDoor(build.dir, Number(values.port) + i)));
const samples = new Map<string, Sample[]>(builds.map((build) => [build.name, []]));
console.log(
  `load average at start: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; ${runs} runs per build, service ${SERVICE}`,
);
try {
  // One warm-up each (the service's first answers, the OS file cache), not counted.
  for (const [i] of builds.entries()) await measure(`http://127.0.0.1:${Number(values.port) + i}`);
  for (let run = 0; run < runs; run++) {
    for (const [i, build] of builds.entries()) {
      const sample = await measure(`http://127.0.0.1:${Number(values.port) + i}`);
      samples.get(build.name)!.push(sample);
      console.log(
        `  run ${run + 1} ${build.name.padEnd(10)} sign-in ${Math.round(sample.signInMs)} ms (DCL ${Math.round(sample.domContentLoadedMs)}), worker ${Math.round(sample.workerMs)} ms`,
      );
    }
  }
} finally {
  await Promise.all(doors.map((door) => door.close()));
}

console.log(
  `load average at end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const first = samples.get(builds[0]!.name)!;
console.log('build        sign-in interactive ms (median, min–max)   DOMContentLoaded ms   worker screen ms      sign-in ratio');
for (const build of builds) {
  const s = samples.get(build.name)!;
  const signIn = s.map((x) => x.signInMs);
  const dcl = s.map((x) => x.domContentLoadedMs);
  const worker = s.map((x) => x.workerMs);
  const ratio = median(signIn) / median(first.map((x) => x.signInMs));
  console.log(
    `${build.name.padEnd(12)} ${`${Math.round(median(signIn))} (${spread(signIn)})`.padEnd(42)} ${`${Math.round(median(dcl))} (${spread(dcl)})`.padEnd(21)} ${`${Math.round(median(worker))} (${spread(worker)})`.padEnd(21)} ${ratio.toFixed(2)}x`,
  );
}
