import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSheet } from '../../src/application/performance/metric-counters';
import type { PerformanceService } from '../../src/application/performance/performance.module';
import { encodeCursor } from '../../src/application/pagination';
import { countyDate } from '../../src/application/clock';
import * as rm from '../../src/projections/performance/performance-metrics.queries';
import { expectStatus } from '../support/api-expect';
import { idNumber } from '../support/national-ids';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { availableBackends } from '../support/test-database';

/** mulberry32: the same seed always builds the same world. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const PERIOD = '2025-H2';
type EvidencePage = { items: unknown[]; nextCursor: string | null; total: number };

/**
 * Issue 20: the score sheet reads per-worker counters that events mark stale, not the facts.
 * Today's query-time computation (`compute`) stays the oracle: in a seeded random county (visits,
 * late visits, reviews, handovers, memberships, training, mentoring, assessments) every worker's
 * metric values and scores from the read model equal the oracle's, with the evidence on
 * drill-down equal to the oracle's lists, after each batch of new events, on a new county day
 * and under a new scoring policy version.
 */
describe.each(await availableBackends())('score sheet read model against the query-time oracle on %s', (backend) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let perf: PerformanceService;
  const random = rng(20_2025);
  const workers: string[] = [];
  const groups: string[] = [];
  const holder = new Map<string, string>();
  const colleagueOf = new Map<string, string>();
  const households: { id: string; groupId: string; personId: string }[] = [];
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  /** The reply's JSON, as the shape the test reads of it. */
  const ok = async <T = unknown>(request: ReturnType<typeof call>, status = 200): Promise<T> => {
    const body: unknown = await expectStatus(request, status);
    return body as T;
  };
  const created = async (request: ReturnType<typeof call>) => (await ok<{ id: string }>(request, 201)).id;
  let seq = 100;
  let today = '2025-07-01';
  const setDay = (day: string) => {
    today = day;
    t.clock.set(`${day}T04:00:00.000Z`);
  };

  /** A few days of county life: visits (some late, some reviews), now and then a handover or a new membership. */
  async function live(until: string) {
    while (today < until) {
      setDay(addDays(today, 1 + random.int(6)));
      for (let n = random.int(4); n > 0; n--) {
        const h = random.next() < 0.7 ? random.pick(households) : null;
        const groupId = h?.groupId ?? random.pick(groups);
        const worker = holder.get(groupId)!;
        const date = random.next() < 0.2 ? addDays(today, -1) : today;
        const kind = h && random.next() < 0.3 ? 'review' : 'routine';
        await ok(
          call('POST', '/api/v1/visits', h ? { householdId: h.id, date, kind } : { groupId, date, kind }, bearer(t.token('village_worker', worker))),
          201,
        );
      }
      if (random.next() < 0.08) {
        const groupId = random.pick(groups);
        const next = colleagueOf.get(holder.get(groupId)!)!; // the other worker of the group's village
        await ok(call('PUT', `/api/v1/groups/${groupId}/responsible-worker`, { workerId: next, from: today }));
        holder.set(groupId, next);
      }
      if (random.next() < 0.1) {
        const h = random.pick(households);
        await call('POST', `/api/v1/households/${h.id}/special-groups`, { group: random.pick(['dibao', 'tekun_scattered', 'disability']), from: today });
      }
    }
  }

  /** Every worker: the sheet equals the oracle's scores with evidence counted; the drill-down equals its evidence. */
  async function expectSheetEqualsOracle() {
    const asOf = countyDate(t.clock.now());
    const oracle = await perf.compute(PERIOD, asOf);
    const sheet = await perf.sheet(PERIOD, asOf);
    expect(sheet.items.length).toBeGreaterThan(0);
    expect(sheet).toEqual({ ...oracle, items: oracle.items.map(toSheet) });
    for (const score of oracle.items) {
      const stored = await rm.workerEvidence(t.database.db, PERIOD, score.workerId);
      for (const m of score.metrics) expect(stored.get(m.key) ?? [], `${score.workerId} ${m.key}`).toEqual(m.evidence);
    }
    return oracle;
  }

  beforeAll(async () => {
    t = await startTestApp({ backend });
    perf = t.service.services.performance;
    setDay('2025-01-02');
    admin = bearer(t.token('admin'));
    const town = await created(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }));
    for (let v = 0; v < 2; v++) {
      const village = await created(call('POST', '/api/v1/villages', { townId: town, code: `53062610020${v}`, name: `村${v}` }));
      for (let w = 0; w < 2; w++) {
        const body = {
          name: `社工${v}${w}`,
          level: 'village',
          phone: '13900000000',
          idNumber: idNumber('1985-03-03', seq++),
          hireDate: '2025-01-01',
          posting: { villageId: village },
        };
        workers.push(await created(call('POST', '/api/v1/workers', body)));
      }
      for (let g = 0; g < 2; g++) {
        const groupId = await created(call('POST', '/api/v1/groups', { villageId: village, code: `53062610020${v}00${g}`, name: `${g}组` }));
        groups.push(groupId);
        const worker = workers[v * 2 + g]!;
        holder.set(groupId, worker);
        await ok(call('PUT', `/api/v1/groups/${groupId}/responsible-worker`, { workerId: worker, from: '2025-01-01' }));
      }
    }
    colleagueOf.set(workers[0]!, workers[1]!).set(workers[1]!, workers[0]!).set(workers[2]!, workers[3]!).set(workers[3]!, workers[2]!);
    for (const groupId of groups) {
      for (let i = 0; i < 3; i++) {
        const h = await ok<{ id: string; members: { personId: string }[] }>(
          call('POST', '/api/v1/households', {
            groupId,
            members: [{ name: `户主${seq}`, idNumber: idNumber('1960-01-01', seq++), relation: 'head', labourCapacity: random.pick(['full', 'none']) }],
          }),
          201,
        );
        households.push({ id: h.id, groupId, personId: h.members[0]!.personId });
        const group = random.pick(['dibao', 'tekun_scattered', 'left_behind_elder', 'disability', null]);
        if (group)
          await ok(
            call('POST', `/api/v1/households/${h.id}/special-groups`, {
              group,
              from: `2025-0${1 + random.int(6)}-01`,
              ...(group === 'left_behind_elder' ? { personId: h.members[0]!.personId } : {}),
            }),
          );
      }
    }
    await ok(call('POST', '/api/v1/mentoring-pairs', { mentorId: workers[0], menteeId: workers[3], from: '2025-03-01' }), 201);
    setDay('2025-07-01');
  }, 300_000);
  afterAll(async () => t?.close());

  it('after a first stretch of the period, the sheet equals the oracle', async () => {
    await live('2025-08-20');
    await ok(call('POST', '/api/v1/training-sessions', { title: '业务培训', heldOn: today, kind: 'all_staff', attendeeIds: [workers[0], workers[2]] }), 201);
    const oracle = await expectSheetEqualsOracle();
    expect(oracle.items.some((s) => s.metrics.some((m) => m.key === 'visits_done' && m.total > 0))).toBe(true);
  }, 300_000);

  it('after more visits (one worker marked stale each), handovers and memberships, it still does', async () => {
    await live('2025-10-10');
    const stale = await rm.staleMarks(t.database.db, PERIOD);
    expect(stale.length).toBeGreaterThan(0);
    await expectSheetEqualsOracle();
    expect(await rm.staleMarks(t.database.db, PERIOD)).toEqual([]);
  }, 300_000);

  it('when only one worker made visits, only that worker is measured again, and the sheet still equals the oracle', async () => {
    const worker = holder.get(groups[0]!)!;
    setDay(addDays(today, 1));
    await ok(call('POST', '/api/v1/visits', { groupId: groups[0], date: today, kind: 'routine' }, bearer(t.token('village_worker', worker))), 201);
    await perf.sheet(PERIOD, countyDate(t.clock.now())); // the new day: everyone once
    await ok(call('POST', '/api/v1/visits', { groupId: groups[0], date: today, kind: 'care' }, bearer(t.token('village_worker', worker))), 201);
    expect((await rm.staleMarks(t.database.db, PERIOD)).map((m) => m.workerId)).toEqual([worker]);
    await expectSheetEqualsOracle();
  }, 300_000);

  it('on later county days and with assessments, the counters follow the day and still equal the oracle', async () => {
    await live('2025-12-05');
    const evaluator = bearer(t.token('evaluator', 'committee-1'));
    for (const w of workers.slice(0, 3))
      await ok(
        call(
          'POST',
          '/api/v1/assessments',
          { workerId: w, period: PERIOD, scores: { discipline: 80 + random.int(20), attitude: 85, knowledge: 90 } },
          evaluator,
        ),
        201,
      );
    await expectSheetEqualsOracle();
    setDay('2026-01-05'); // the period is over: every pending obligation is now met or missed
    await expectSheetEqualsOracle();
  }, 300_000);

  it('a new scoring policy version recomputes the period (a rebuild of its counters)', async () => {
    const policies = await perf.policies();
    const { version: _v, ...latest } = policies.at(-1)!;
    await ok(call('POST', '/api/v1/scoring-policies', { ...latest, effectiveFrom: '2025-07-01', excellentCapPercent: 20 }), 201);
    expect((await rm.staleMarks(t.database.db, PERIOD)).some((m) => m.workerId === null)).toBe(true);
    const oracle = await expectSheetEqualsOracle();
    expect(oracle.policyVersion).toBe(policies.length + 1);
  }, 300_000);

  it('pages the evidence of one metric through HTTP, in the oracle order, and the sheet carries only counts', async () => {
    const asOf = countyDate(t.clock.now());
    const oracle = await perf.compute(PERIOD, asOf);
    const [score, metric] = oracle.items.flatMap((s) => s.metrics.map((m) => [s, m] as const)).sort((a, b) => b[1].evidence.length - a[1].evidence.length)[0]!;
    expect(metric.evidence.length).toBeGreaterThan(3);
    const pages: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: EvidencePage = await ok<EvidencePage>(
        call('GET', `/api/v1/performance/${PERIOD}/workers/${score.workerId}/metrics/${metric.key}/evidence?limit=3${cursor ? `&cursor=${cursor}` : ''}`),
      );
      expect(page.total).toBe(metric.evidence.length);
      pages.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(JSON.parse(JSON.stringify(metric.evidence)));
    const sheet = await ok<{ items: { workerId: string; metrics: { key: string }[] }[] }>(call('GET', `/api/v1/performance?period=${PERIOD}`));
    const row = sheet.items.find((s) => s.workerId === score.workerId);
    expect(row?.metrics.find((m) => m.key === metric.key)).toMatchObject({
      evidenceCount: metric.evidence.length,
      met: metric.met,
      total: metric.total,
    });
    expect(JSON.stringify(sheet)).not.toContain('"evidence"');
    // A worker reads their own evidence; another village worker may not; an unknown metric is a 404.
    const own = `/api/v1/performance/${PERIOD}/workers/${score.workerId}/metrics/${metric.key}/evidence`;
    await ok(call('GET', own, undefined, bearer(t.token('village_worker', score.workerId))));
    const other = workers.find((w) => w !== score.workerId)!;
    expect((await call('GET', own, undefined, bearer(t.token('village_worker', other)))).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/performance/${PERIOD}/workers/${score.workerId}/metrics/no_such_metric/evidence`)).statusCode).toBe(404);
    // A worker not employed in the period is not on the sheet; a cursor past the end is an empty last page.
    expect((await call('GET', `/api/v1/performance/${PERIOD}/workers/00000000-0000-4000-8000-00000000dead/metrics/${metric.key}/evidence`)).statusCode).toBe(
      404,
    );
    const beyond = encodeCursor({ ordinal: metric.evidence.length + 5 });
    expect(await ok<EvidencePage>(call('GET', `${own}?cursor=${beyond}`))).toMatchObject({ items: [], nextCursor: null, total: metric.evidence.length });
    // A forged cursor as far as a safe integer goes (past PostgreSQL's int subscripts) is the same empty page, not a 500.
    const far = encodeCursor({ ordinal: Number.MAX_SAFE_INTEGER });
    expect(await ok<EvidencePage>(call('GET', `${own}?cursor=${far}`))).toMatchObject({ items: [], nextCursor: null, total: metric.evidence.length });
  }, 300_000);
});
