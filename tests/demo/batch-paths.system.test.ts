import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/application/actor';
import { geographyChapter } from '../../src/demo/chapters/geography';
import { householdsChapter } from '../../src/demo/chapters/households';
import { planHouseholds } from '../../src/demo/chapters/households-plan';
import { visitMonths, visitRequest, visitsChapter, visitsSummary } from '../../src/demo/chapters/visits';
import { planVisits } from '../../src/demo/chapters/visits-plan';
import { workforceChapter } from '../../src/demo/chapters/workforce';
import type { DemoChapter } from '../../src/demo/context';
import { demoEventDigest, logEventIds } from '../../src/demo/event-digest';
import { demoContext, runCounty } from '../../src/demo/seed';
import { DEMO_COUNTY_CODE } from '../../src/demo/seed-constants';
import { startTestApp, type TestApp } from '../support/test-app';
import { loadScale } from '../support/load-scale';
import { availableBackends } from '../support/test-database';

/**
 * The demo load's batch path for visits (issue 15): VisitsService.recordVisits. The visits
 * chapter, run through it, must give the events and read-model rows the single-command path
 * (the API's) gives; and an item of a batch the rules refuse must be answered with the error the
 * single call throws, the others of its batch recorded.
 */
const SLOW = 300_000 * loadScale();
const SEED = 'suijiang-2023';
const run = { scale: 'tiny' as const, seed: SEED, countyCode: DEMO_COUNTY_CODE, progress: () => undefined };

/** The visits chapter as it was: one command at a time through the single path (its marker counts the same). */
const singleVisits: DemoChapter = {
  name: 'visits',
  restore: async () => undefined,
  async run(ctx) {
    const levels = new Map(ctx.world.workers.map((w) => [w.id, w.level]));
    const visits = planVisits(ctx, planHouseholds(ctx, ctx.world.groups), visitMonths(ctx.scale));
    let late = 0;
    for (const v of visits) {
      const { context, input } = visitRequest(ctx, levels, v);
      if ((await ctx.services.visits.recordVisit(context, input)).late) late++;
    }
    return visitsSummary(visits, late);
  },
};

interface Loaded {
  t: TestApp;
  digest: string;
  events: number;
}

async function load(backend: 'postgres' | 'pglite', chapters: readonly DemoChapter[]): Promise<Loaded> {
  const t = await startTestApp({ backend });
  const before = await logEventIds(t.service.deps.store);
  await runCounty(t.service, run, [geographyChapter, workforceChapter, ...chapters]);
  const { digest, events } = await demoEventDigest(t.service.deps.store, before);
  return { t, digest, events };
}

/** A read model's rows, without the columns that hold randomly drawn person ids, in a stable order. */
async function rows(t: TestApp, table: string, without: readonly string[] = []): Promise<string[]> {
  const result = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(t.service.deps.database.db);
  return result.rows.map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).filter(([k]) => !without.includes(k))))).sort();
}

/** What a caller sees of an error: its kind, code, message and details. */
const seen = (error: unknown) => {
  const e = error as Error & { code?: string; details?: unknown };
  return { name: e.name, code: e.code, message: e.message, details: e.details };
};

const backends = await availableBackends();

describe.each(backends)('the demo load through the batch paths (%s)', (backend) => {
  let single: Loaded;
  let batched: Loaded;
  beforeAll(async () => {
    single = await load(backend, [householdsChapter, singleVisits]);
    batched = await load(backend, [householdsChapter, visitsChapter]);
  }, SLOW);
  afterAll(async () => {
    await single?.t.close();
    await batched?.t.close();
  });

  it('appends the same events as one command at a time', () => {
    expect(batched.events).toBeGreaterThan(100);
    expect(batched.events).toBe(single.events);
    expect(batched.digest).toBe(single.digest);
  });

  it('writes the same read-model rows', async () => {
    const tables: [string, string[]][] = [
      ['rm_households', []],
      ['rm_household_members', ['person_id']],
      ['rm_special_memberships', ['person_id']],
      ['rm_visits', []],
      ['rm_coverage_visits', []],
      ['rm_coverage_group_months', []],
    ];
    for (const [table, without] of tables) {
      const [a, b] = [await rows(single.t, table, without), await rows(batched.t, table, without)];
      expect(b.length, table).toBeGreaterThan(0);
      expect(b, table).toEqual(a);
    }
    expect((await batched.t.service.deps.store.verify()).broken).toEqual([]);
  });

  it('answers a refused visit of a batch as the single call does, and records the others', async () => {
    const ctx = demoContext(batched.t.service, run);
    const { world } = await runCounty(batched.t.service, run, [geographyChapter, workforceChapter]);
    const group = world.groups[0]!;
    const responsible = world.workers.find((w) => w.level === 'village')!;
    const household = await sql<{ id: string; group_id: string }>`select id, group_id from rm_households limit 1`.execute(batched.t.service.deps.database.db);
    const admin: Actor = { id: 'demo-admin', role: 'admin' };
    const items = (prefix: string) =>
      [
        { label: 'ok', input: { workerId: responsible.id, groupId: group.id, date: '2023-12-18', kind: 'routine' as const } },
        { label: 'future', input: { workerId: responsible.id, groupId: group.id, date: '2023-12-25', kind: 'routine' as const } },
        { label: 'old', input: { workerId: responsible.id, groupId: group.id, date: '2023-01-02', kind: 'routine' as const } },
        {
          label: 'nohousehold',
          input: { workerId: responsible.id, householdId: '00000000-0000-4000-8000-000000000001', date: '2023-12-18', kind: 'care' as const },
        },
        { label: 'noworker', input: { householdId: household.rows[0]!.id, date: '2023-12-19', kind: 'care' as const } },
        { label: 'household', input: { workerId: responsible.id, householdId: household.rows[0]!.id, date: '2023-12-19', kind: 'care' as const } },
      ].map(({ label, input }) => ({ context: ctx.at('2023-12-20', `${prefix}:${label}`, admin), input: { ...input, findings: '', followUpActions: [] } }));

    const outcomes = await batched.t.service.services.visits.recordVisits(items('batch'));
    const one = [];
    for (const item of items('single')) {
      try {
        const v = await single.t.service.services.visits.recordVisit(item.context, item.input);
        one.push({ ok: true as const, late: v.late, policyVersion: v.policyVersion });
      } catch (error) {
        one.push({ ok: false as const, error: seen(error) });
      }
    }
    expect(outcomes.map((o) => (o.ok ? { ok: true, late: o.value.late, policyVersion: o.value.policyVersion } : { ok: false, error: seen(o.error) }))).toEqual(
      one,
    );
    expect(one.map((o) => o.ok)).toEqual([true, false, false, false, false, true]);
    expect(one.flatMap((o) => (o.ok ? [] : [o.error.name]))).toEqual(['DomainRuleViolation', 'DomainRuleViolation', 'NotFoundError', 'DomainRuleViolation']);
    // Recorded once each, and a second batch of the same items appends nothing.
    const recorded = outcomes.flatMap((o) => (o.ok ? [o.value.id] : []));
    const visits = await sql<{ n: number }>`select count(*)::int as n from rm_visits where id = any(${recorded}::uuid[])`.execute(
      batched.t.service.deps.database.db,
    );
    expect(visits.rows[0]!.n).toBe(2);
    const before = await logEventIds(batched.t.service.deps.store);
    const again = await batched.t.service.services.visits.recordVisits(items('batch'));
    expect(again.map((o) => o.ok)).toEqual(outcomes.map((o) => o.ok));
    expect((await logEventIds(batched.t.service.deps.store)).size).toBe(before.size);
  });
});
