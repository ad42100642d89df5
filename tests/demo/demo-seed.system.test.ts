import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNationalId } from '../../src/domain/shared/national-id';
import { demoEventDigest, logEventIds } from '../../src/demo/event-digest';
import { DEMO_ADMIN } from '../../src/demo/demo-actors';
import { runDemoSeed, type DemoSummary } from '../../src/demo/seed';
import { formatDemoSummary } from '../../src/demo/summary-table';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { expectStatus } from '../support/api-expect';
import { loadScale } from '../support/load-scale';
import { availableBackends } from '../support/test-database';

/**
 * The demo county's world chapters at tiny scale (issue 15): what they load, that a seed always
 * loads the same county, that a second run appends nothing, and that the stories are there to be
 * found through the public API on the demo's "today".
 */
const SLOW = 300_000 * loadScale();
const DEMO_TODAY = '2023-12-20T02:00:00.000Z'; // 10:00 in the county

interface Seeded {
  t: TestApp;
  summary: DemoSummary;
  digest: string;
  /** What the progress bar of `npm run seed:demo` was told, in order. */
  progress: { chapter: string; done: number; total: number }[];
}

async function seedTiny(backend: 'postgres' | 'pglite', seed = 'suijiang-2023'): Promise<Seeded> {
  const t = await startTestApp({ backend });
  const before = await logEventIds(t.service.deps.store);
  const progress: Seeded['progress'] = [];
  const summary = await runDemoSeed(t.service, { scale: 'tiny', seed, onProgress: (p) => progress.push(p) });
  const { digest } = await demoEventDigest(t.service.deps.store, before);
  t.clock.set(DEMO_TODAY);
  return { t, summary, digest, progress };
}

const counts = (s: DemoSummary, chapter: string) => s.chapters.find((c) => c.chapter === chapter)!.counts;
const backends = await availableBackends();
const seeded = new Map<string, Seeded>();

beforeAll(async () => {
  for (const backend of backends) seeded.set(backend, await seedTiny(backend));
}, SLOW);
afterAll(async () => {
  for (const s of seeded.values()) await s.t.close();
});

describe('the same seed', () => {
  it(
    'loads the same events on every store, and another seed a different county',
    async () => {
      const first = seeded.get(backends[0]!)!;
      const again = backends.length > 1 ? seeded.get(backends[1]!)! : await seedTiny('pglite');
      expect(again.digest).toBe(first.digest);
      const other = await seedTiny('pglite', 'another-county');
      try {
        expect(other.digest).not.toBe(first.digest);
        expect(counts(other.summary, 'households').households).toBe(counts(first.summary, 'households').households);
      } finally {
        await other.t.close();
        if (backends.length === 1) await again.t.close();
      }
    },
    SLOW,
  );
});

describe.each(backends)('the tiny demo county on %s', (backend) => {
  const s = () => seeded.get(backend)!;
  const admin = () => bearer(s().t.token('admin'));

  it('loads one town, two villages, their groups and stations, five workers and about thirty households', () => {
    const { summary } = s();
    expect(counts(summary, 'geography')).toMatchObject({ towns: 1, villages: 2, groups: 6, stations: 3 });
    expect(counts(summary, 'workforce')).toMatchObject({ workers: 5, certified: 2, groupsAssigned: 6 });
    expect(counts(summary, 'households').households).toBe(30);
    expect(counts(summary, 'households').specialHouseholds).toBeGreaterThan(0);
    expect(counts(summary, 'visits').visits).toBeGreaterThan(50);
    expect(summary.eventsAppended).toBeGreaterThan(200);
  });

  it('reports its progress chapter by chapter, each to its end, and sums up what it loaded', () => {
    const { progress, summary } = s();
    const chapters = [...new Set(progress.map((p) => p.chapter))];
    expect(chapters).toEqual(expect.arrayContaining(['geography', 'workforce', 'households', 'visits', 'cases', 'imports', 'assessments']));
    for (const chapter of chapters) {
      const last = progress.filter((p) => p.chapter === chapter).at(-1)!;
      expect(last.done, chapter).toBe(last.total);
    }
    // The summary `npm run seed:demo` prints last: a line per chapter and item, with its count.
    const text = formatDemoSummary(summary);
    expect(text).toContain('演示县已载入');
    expect(text).toMatch(new RegExp(`households\\s+户 \\(households\\)\\s+${counts(summary, 'households').households}\\b`));
    expect(text).toMatch(new RegExp(`visits\\s+走访 \\(visits\\)\\s+${counts(summary, 'visits').visits}\\b`));
  });

  it('gives every member a valid GB 11643 number whose birth date is in the past', () => {
    const members = s().summary.world.households.flatMap((h) => h.members);
    expect(members.length).toBeGreaterThan(30);
    for (const m of members) {
      const parsed = parseNationalId(m.idNumber);
      expect(parsed, m.idNumber).not.toBeNull();
      expect(parsed!.birthDate).toBe(m.birthDate);
      expect(m.birthDate < '2023-01-01' && m.birthDate > '1920-01-01').toBe(true);
    }
  });

  it(
    'appends nothing on a second run: the log holds the same events',
    async () => {
      const store = s().t.service.deps.store;
      const before = await logEventIds(store);
      const again = await runDemoSeed(s().t.service, { scale: 'tiny' });
      expect(again.eventsAppended).toBe(0);
      expect(again.chapters.every((c) => c.skipped)).toBe(true);
      expect(await logEventIds(store)).toEqual(before);
      expect(before.size).toBeGreaterThan(200);
      // The resumed run rebuilt the world it did not write, person ids included.
      expect(again.world.groups).toEqual(s().summary.world.groups);
      expect(again.world.households).toEqual(s().summary.world.households);
      expect(again.world.households.every((h) => h.members.every((m) => m.personId.length === 36))).toBe(true);
    },
    SLOW,
  );

  it('logs no one as having read the households it registered, while a real read of one is logged', async () => {
    const auditor = bearer(s().t.token('auditor'));
    // Only household reads: the imports chapter reads findings (and is logged for it) on purpose.
    const householdReads = async (query: string) =>
      (await expectStatus(s().t.app.inject({ method: 'GET', url: `/api/v1/audit/personal-data-access?${query}&limit=200`, headers: auditor }))).items.filter(
        (e: any) => e.route === 'GET /households/{id}',
      );
    const special = s().summary.world.households.find((h) => h.specialGroups.length > 0)!;
    // The load registered every household and its special groups as the bureau's admin, and read none back.
    expect(await householdReads(`actor=${DEMO_ADMIN.id}`)).toEqual([]);
    expect(await householdReads(`household=${special.id}`)).toEqual([]);

    await expectStatus(s().t.app.inject({ method: 'GET', url: `/api/v1/households/${special.id}`, headers: admin() }));
    expect(await householdReads(`household=${special.id}`)).toEqual([
      expect.objectContaining({ actor: { id: 'admin-1', role: 'admin' }, householdId: special.id, classes: expect.arrayContaining(['health']) }),
    ]);
  });

  it('shows overdue visits on 2023-12-20 in /schedule/overdue', async () => {
    const body = await expectStatus(s().t.app.inject({ method: 'GET', url: '/api/v1/schedule/overdue?limit=500', headers: admin() }));
    expect(body.asOf).toBe('2023-12-20');
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every((i: any) => i.status === 'overdue' && i.dueDate < '2023-12-20')).toBe(true);
    expect(body.items.some((i: any) => i.obligation === 'group_monthly_visit' || i.obligation === 'household_monthly_visit')).toBe(true);
  });

  it('shows the certification rate and a group not yet visited this month in coverage', async () => {
    const body = await expectStatus(s().t.app.inject({ method: 'GET', url: '/api/v1/coverage?detail=groups', headers: admin() }));
    expect(body.totals.workers).toBe(5);
    expect(body.totals.certifiedWorkers).toBe(2);
    expect(body.totals.certificationRate).toBe(0.4);
    expect(body.totals.groupsCovered).toBe(6);
    const groups = body.towns.flatMap((t: any) => t.villages.flatMap((v: any) => v.groups));
    expect(groups.some((g: any) => g.visitedThisMonth === false)).toBe(true);
    expect(groups.some((g: any) => g.visitedThisMonth === true)).toBe(true);
    // One service point is not yet equipped to the 六有 standard: a gap coverage shows.
    expect(body.gaps.villagesWithoutOperatingServicePoint).toHaveLength(1);
  });

  it("shows the mid-year handover: one worker's groups end on 2023-07-01 and start with another", async () => {
    const workers = (await expectStatus(s().t.app.inject({ method: 'GET', url: '/api/v1/workers?level=village', headers: admin() }))).items;
    const details = await Promise.all(
      workers.map((w: any) => expectStatus(s().t.app.inject({ method: 'GET', url: `/api/v1/workers/${w.id}`, headers: admin() }))),
    );
    const from = details.find((w: any) => w.responsibleFor.some((r: any) => r.to === '2023-07-01'));
    const to = details.find((w: any) => w.responsibleFor.some((r: any) => r.from === '2023-07-01'));
    expect(from).toBeDefined();
    expect(to).toBeDefined();
    const handed = from.responsibleFor
      .filter((r: any) => r.to === '2023-07-01')
      .map((r: any) => r.groupId)
      .sort();
    expect(
      to.responsibleFor
        .filter((r: any) => r.from === '2023-07-01')
        .map((r: any) => r.groupId)
        .sort(),
    ).toEqual(handed);
    // The group's visits: the old worker's before the handover, the new worker's after it.
    const visits = (await expectStatus(s().t.app.inject({ method: 'GET', url: `/api/v1/visits?group=${handed[0]}&limit=200`, headers: admin() }))).items;
    expect(visits.some((v: any) => v.workerId === from.id && v.date < '2023-07-01')).toBe(true);
    expect(visits.some((v: any) => v.workerId === to.id && v.date >= '2023-07-01')).toBe(true);
    expect(visits.every((v: any) => (v.date < '2023-07-01' ? v.workerId === from.id : v.workerId === to.id))).toBe(true);
  });
});

describe('the province scale', () => {
  it(
    'loads counties in parallel streams with their own codes on PostgreSQL (a smoke of two tiny counties)',
    async (ctx) => {
      if (!backends.includes('postgres')) ctx.skip();
      const t = await startTestApp({ backend: 'postgres' });
      try {
        const summary = await runDemoSeed(t.service, { scale: 'province', counties: 2, countyScale: 'tiny', seed: 'province-smoke' });
        expect(summary.counties).toBe(2);
        expect(counts(summary, 'geography').towns).toBe(2);
        expect(counts(summary, 'households').households).toBe(60);
        t.clock.set(DEMO_TODAY);
        const towns = (await expectStatus(t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: bearer(t.token('admin')) }))).items;
        const counties = new Set(towns.map((town: any) => town.code.slice(0, 6)));
        expect(counties.size).toBe(2);
        expect(counties.has('530626')).toBe(true);
        const again = await runDemoSeed(t.service, { scale: 'province', counties: 2, countyScale: 'tiny', seed: 'province-smoke' });
        expect(again.eventsAppended).toBe(0);
      } finally {
        await t.close();
      }
    },
    SLOW,
  );

  it('is refused on the embedded store', async () => {
    const { s } = { s: seeded.get('pglite')! };
    await expect(runDemoSeed(s.t.service, { scale: 'province', counties: 1, countyScale: 'tiny' })).rejects.toThrow(/PostgreSQL only/);
  });
});
