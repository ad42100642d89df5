import { describe, expect, it } from 'vitest';
import { roles } from '../../src/application/permissions/permissions';
import { FixedClock } from '../../src/application/clock';
import { ForbiddenError } from '../../src/application/errors';
import { AuditRuns, type AuditRunKind, type AuditRunner, type AuditRunProgress } from '../../src/application/ledger/audit-runs';

const auditor = { id: 'auditor-1', role: 'auditor' as const };
const clock = new FixedClock(new Date('2026-03-02T09:00:00.000Z'));

/** A runner that goes one step each time the test says so, reporting progress at each step. */
function steppedRunner() {
  const steps: Array<() => void> = [];
  let report: ((p: AuditRunProgress) => void) | null = null;
  const runner: AuditRunner = {
    policy: roles('auditor', 'admin'),
    run: async (_request, { progress }) => {
      report = progress;
      for (let done = 1; done <= 3; done++) {
        await new Promise<void>((resolve) => steps.push(resolve));
        progress({ done, total: 3, batches: done });
      }
      return { ok: true };
    },
  };
  const step = async () => {
    while (steps.length === 0) await new Promise((resolve) => setImmediate(resolve));
    steps.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { runner, step, started: () => report !== null };
}

function runsWith(limit: number) {
  const kinds = { ledger: steppedRunner(), chains: steppedRunner(), replay: steppedRunner() };
  const runners = Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, v.runner])) as Record<AuditRunKind, AuditRunner>;
  return { runs: new AuditRuns(runners, clock, limit, 30), kinds };
}

describe('audit runs (issue 20)', () => {
  it('reports progress while a run goes, then its result', async () => {
    const { runs, kinds } = runsWith(1);
    const started = await runs.start(auditor, { kind: 'chains', mode: 'full' });
    if (!('run' in started)) throw new Error('refused');
    const id = started.run.id;
    expect((await runs.get(auditor, id)).progress).toEqual({ done: 0, total: null, batches: 0 });
    await kinds.chains.step();
    expect(await runs.get(auditor, id)).toMatchObject({ state: 'running', progress: { done: 1, total: 3, batches: 1 }, result: null });
    await kinds.chains.step();
    expect((await runs.get(auditor, id)).progress.done).toBe(2);
    await kinds.chains.step();
    await runs.drain();
    expect(await runs.get(auditor, id)).toMatchObject({ state: 'succeeded', progress: { done: 3 }, result: { ok: true } });
    expect(runs.inProgress).toBe(0);
  });

  it('runs at most N at once: the N+1th is refused with a Retry-After, and starts once a slot is free', async () => {
    const { runs, kinds } = runsWith(2);
    expect('run' in (await runs.start(auditor, { kind: 'ledger', mode: 'incremental' }))).toBe(true);
    expect('run' in (await runs.start(auditor, { kind: 'chains', mode: 'full' }))).toBe(true);
    expect(await runs.start(auditor, { kind: 'replay', mode: 'full' })).toEqual({ busy: true, retryAfterSeconds: 30, running: 2 });
    expect(runs.inProgress).toBe(2);
    for (let i = 0; i < 3; i++) await kinds.ledger.step();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs.inProgress).toBe(1);
    const third = await runs.start(auditor, { kind: 'replay', mode: 'full' });
    expect('run' in third).toBe(true);
    for (let i = 0; i < 3; i++) {
      await kinds.chains.step();
      await kinds.replay.step();
    }
    await runs.drain();
    expect(runs.inProgress).toBe(0);
  });

  it('a failed run frees its slot and says so without the error text', async () => {
    const failing: AuditRunner = {
      policy: roles('auditor'),
      run: async () => {
        throw new Error('connection to 10.0.0.5 refused');
      },
    };
    const runs = new AuditRuns({ ledger: failing, chains: failing, replay: failing }, clock, 1, 30);
    const started = await runs.start(auditor, { kind: 'ledger', mode: 'full' });
    if (!('run' in started)) throw new Error('refused');
    await runs.drain();
    const run = await runs.get(auditor, started.run.id);
    expect(run.state).toBe('failed');
    expect(run.error).not.toContain('10.0.0.5');
    expect(runs.inProgress).toBe(0);
  });

  it('refuses roles the kind does not allow, before taking a slot', async () => {
    const { runs } = runsWith(1);
    await expect(runs.start({ id: 'w-1', role: 'village_worker' }, { kind: 'chains', mode: 'full' })).rejects.toBeInstanceOf(ForbiddenError);
    expect(runs.inProgress).toBe(0);
  });
});
