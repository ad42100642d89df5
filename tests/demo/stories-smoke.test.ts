import { afterAll, beforeAll, expect, it } from 'vitest';
import { casesChapter } from '../../src/demo/chapters/cases';
import type { DemoContext } from '../../src/demo/context';
import { startTestApp, type TestApp } from '../support/test-app';
import { smallWorld } from './small-world';

let t: TestApp;
let ctx: DemoContext;
beforeAll(async () => {
  t = await startTestApp({ backend: 'pglite' });
  const t0 = Date.now();
  ctx = await smallWorld(t.service);
  console.log('world ms', Date.now() - t0);
}, 120_000);
afterAll(async () => t?.close());

it('runs', async () => {
  const times: Record<string, [number, number]> = {};
  const cases = ctx.services.cases as any;
  for (const name of ['apply', 'accept', 'recordFacts', 'recordDataCheck', 'recordHomeInvestigation', 'postNotice', 'submit', 'check', 'decide', 'recordPayment', 'grantEmergency', 'review', 'get']) {
    const orig = cases[name].bind(cases);
    cases[name] = async (...args: any[]) => { const s = performance.now(); try { return await orig(...args); } finally { const e = times[name] ?? [0, 0]; e[0] += performance.now() - s; e[1]++; times[name] = e; } };
  }
  const t0 = Date.now();
  const counts = await casesChapter.run(ctx);
  console.log('cases ms', Date.now() - t0, counts, Object.fromEntries(Object.entries(times).map(([k, [ms, n]]) => [k, `${n} × ${(ms / n).toFixed(1)}`])));
  expect(counts.cases).toBeGreaterThan(0);
}, 300_000);
