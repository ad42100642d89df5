import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRng } from '../../src/demo/rng';
import { expectStatus } from '../support/api-expect';
import { idNumber } from '../support/national-ids';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { loadScale } from '../support/load-scale';
import { availableBackends } from '../support/test-database';

/**
 * The schedule read model against its oracle: a seeded random world (registrations, special
 * groups joined and left, moves, handovers, visits, a new policy version) lived day by day, and
 * on many days overdue and due read both from the read model and computed at query time
 * (`?source=query`, today's old path) must be the same items.
 */
type Item = {
  obligation: string;
  groupId: string;
  villageId: string;
  householdId: string | null;
  month: string | null;
  workerId: string | null;
  dueDate: string;
  [k: string]: unknown;
};
const key = (i: Item) => `${i.obligation}|${i.householdId ?? i.groupId}|${i.month ?? ''}`;
const sorted = (items: Item[]) => [...items].sort((a, b) => key(a).localeCompare(key(b)));

type Schedule = { asOf: string; policyVersion: number; items: Item[]; nextCursor: string | null; total: number };
type Created = { id: string };
type Policy = { version: number; dynamicReview: object; [k: string]: unknown };
/** The reply's JSON, as the test knows its shape. */
const ok = <T>(reply: Parameters<typeof expectStatus>[0], status?: number): Promise<T> => expectStatus(reply, status) as Promise<T>;

const PAGE = 20;
const SPECIAL = ['dibao', 'tekun_scattered', 'left_behind_elder', 'disability', 'orphan'] as const;

describe.each(await availableBackends())('the schedule read model equals the query-time schedule on %s', (backend) => {
  let t: TestApp;
  let admin: Record<string, string>;
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: admin, ...(payload ? { payload } : {}) });
  const rng = seededRng('issue-20-schedule-oracle', backend);
  const villages: { id: string; groups: string[]; workers: string[] }[] = [];
  const households: { id: string; memberships: string[] }[] = [];
  let personSeq = 100;
  let day = '2025-05-05';
  let compared = 0;

  const setDay = (d: string) => {
    day = d;
    t.clock.set(`${d}T02:00:00.000Z`);
  };
  const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

  /** Every page of a schedule list (it answers a page at a time), checked against the total it reports. */
  async function allPages(url: string): Promise<Schedule> {
    const first = await ok<Schedule>(call('GET', `${url}&limit=${PAGE}`));
    const items = [...first.items];
    for (let cursor = first.nextCursor; cursor;) {
      const page: Schedule = await ok<Schedule>(call('GET', `${url}&limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`));
      items.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(items.length, `${url}: the pages hold the total`).toBe(first.total);
    return { ...first, items, nextCursor: null };
  }

  /**
   * The oracle is the county-wide query-time schedule cut to the scope: the old scoped query
   * read only the visits recorded in the scope's groups, so a household that moved in lost its
   * earlier visits there; the read model keeps a household's visits wherever they were recorded.
   */
  async function compare(scope: { worker?: string; village?: string }, within: string) {
    const query = Object.entries(scope)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const inScope = (i: Item) => (!scope.worker || i.workerId === scope.worker) && (!scope.village || i.villageId === scope.village);
    for (const [path, extra] of [
      ['overdue', ''],
      ['due', `&within=${within}`],
    ] as const) {
      const fromModel = await allPages(`/api/v1/schedule/${path}?${query}${extra}`);
      const queried = await ok<Schedule>(call('GET', `/api/v1/schedule/${path}?source=query${extra}`));
      expect(fromModel.asOf).toBe(queried.asOf);
      expect(fromModel.policyVersion).toBe(queried.policyVersion);
      expect(sorted(fromModel.items), `${path}?${query} on ${day}`).toEqual(sorted(queried.items.filter(inScope)));
      compared += fromModel.items.length;
    }
  }

  beforeAll(async () => {
    t = await startTestApp({ backend });
    setDay(day);
    admin = bearer(t.token('admin'));
    const town = (await ok<Created>(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    let workerSeq = 30;
    for (let v = 1; v <= 2; v++) {
      const village = (await ok<Created>(call('POST', '/api/v1/villages', { townId: town, code: `53062610020${v}`, name: `村${v}` }), 201)).id;
      const groups: string[] = [];
      for (let g = 1; g <= 3; g++)
        groups.push((await ok<Created>(call('POST', '/api/v1/groups', { villageId: village, code: `53062610020${v}00${g}`, name: `${v}村${g}组` }), 201)).id);
      const workers: string[] = [];
      for (let w = 0; w < 2; w++)
        workers.push(
          (
            await ok<Created>(
              call('POST', '/api/v1/workers', {
                name: `村社工${v}${w}`,
                level: 'village',
                phone: '13900000000',
                idNumber: idNumber('1985-03-03', workerSeq++),
                hireDate: '2025-01-01',
                posting: { villageId: village },
              }),
              201,
            )
          ).id,
        );
      for (const [i, g] of groups.entries())
        if (i < 2) await ok<Created>(call('PUT', `/api/v1/groups/${g}/responsible-worker`, { workerId: workers[i % 2], from: day }));
      villages.push({ id: village, groups, workers });
    }
  }, 120_000 * loadScale());
  afterAll(async () => t?.close());

  async function registerHousehold() {
    const village = rng.pick(villages);
    const seq = personSeq++;
    const household = await ok<Created>(
      call('POST', '/api/v1/households', {
        groupId: rng.pick(village.groups),
        incomeStability: rng.chance(0.5) ? 'unstable' : 'stable',
        members: [{ name: `户主${seq}`, idNumber: idNumber('1960-01-01', seq), relation: 'head', labourCapacity: rng.chance(0.5) ? 'full' : 'none' }],
      }),
      201,
    );
    households.push({ id: household.id, memberships: [] });
  }

  async function act() {
    const roll = rng.next();
    if (households.length < 4 || roll < 0.12) return registerHousehold();
    const h = rng.pick(households);
    if (roll < 0.27) {
      const from = addDays(day, rng.int(-40, 10));
      const res = await call('POST', `/api/v1/households/${h.id}/special-groups`, { group: rng.pick(SPECIAL), from });
      expect(res.statusCode, res.body).toBeLessThan(500);
      if (res.statusCode === 200) h.memberships = res.json<{ specialGroups: { membershipId: string }[] }>().specialGroups.map((m) => m.membershipId);
      return;
    }
    if (roll < 0.32 && h.memberships.length > 0) {
      const res = await call('POST', `/api/v1/households/${h.id}/special-groups/${rng.pick(h.memberships)}/end`, { to: addDays(day, rng.int(-5, 20)) });
      expect(res.statusCode, res.body).toBeLessThan(500);
      return;
    }
    if (roll < 0.37) {
      const res = await call('POST', `/api/v1/households/${h.id}/move`, { toGroupId: rng.pick(rng.pick(villages).groups), on: day });
      expect(res.statusCode, res.body).toBeLessThan(500);
      return;
    }
    if (roll < 0.42) {
      const village = rng.pick(villages);
      const res = await call('PUT', `/api/v1/groups/${rng.pick(village.groups)}/responsible-worker`, {
        workerId: rng.pick(village.workers),
        from: addDays(day, rng.int(0, 3)),
      });
      expect(res.statusCode, res.body).toBeLessThan(500);
      return;
    }
    if (roll < 0.45) {
      const res = await call('POST', `/api/v1/households/${h.id}/circumstances`, {
        on: day,
        category: 'income',
        description: '收入变化',
        incomeStability: rng.chance(0.5) ? 'unstable' : 'stable',
      });
      expect(res.statusCode, res.body).toBeLessThan(500);
      return;
    }
    const village = rng.pick(villages);
    const target = rng.chance(0.7) ? { householdId: h.id } : { groupId: rng.pick(village.groups) };
    const res = await call('POST', '/api/v1/visits', {
      ...target,
      workerId: rng.pick(village.workers),
      date: addDays(day, -rng.int(0, 5)),
      kind: rng.chance(0.3) ? 'review' : 'routine',
      findings: '正常',
    });
    expect(res.statusCode, res.body).toBeLessThan(500);
  }

  it(
    'gives the same overdue and due items, county-wide and per worker, village and town, over ten months',
    async () => {
      for (let step = 0; step < 70; step++) {
        setDay(addDays(day, rng.int(1, 6)));
        // Read first on some days: the model is then rebuilt as of today, and the acts below move its rows.
        const checked = step % 3 === 0;
        if (checked) await compare({}, '7d');
        for (let n = rng.int(1, 5); n > 0; n--) await act();
        if (step === 40) {
          const current = (await ok<{ items: Policy[] }>(call('GET', '/api/v1/schedule-policies'))).items.at(-1)!;
          const { version: _version, ...rest } = current;
          await ok<Policy>(
            call('POST', '/api/v1/schedule-policies', {
              ...rest,
              effectiveFrom: addDays(day, 10),
              overdueLookbackMonths: 2,
              dynamicReview: { ...rest.dynamicReview, otherMonths: 9 },
            }),
            201,
          );
        }
        if (checked) await compare({}, `${rng.int(1, 40)}d`);
        if (step % 7 === 0) {
          const village = rng.pick(villages);
          await compare({ worker: rng.pick(village.workers) }, '30d');
          await compare({ village: village.id }, '10d');
        }
      }
      expect(households.length).toBeGreaterThan(10);
      expect(compared).toBeGreaterThan(100);
    },
    300_000 * loadScale(),
  );

  it('pages what is due by due date with a cursor, the pages together being the whole list', async () => {
    const whole = await ok<Schedule>(call('GET', '/api/v1/schedule/due?within=365d&limit=500'));
    const paged: Item[] = [];
    let cursor: string | null = null;
    do {
      const page: Schedule = await ok<Schedule>(
        call('GET', `/api/v1/schedule/due?within=365d&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
      );
      expect(page.items.length).toBeLessThanOrEqual(3);
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(whole.items.length).toBeGreaterThan(3);
    expect(whole.total).toBe(whole.items.length);
    expect(paged).toEqual(whole.items);
    expect(paged.map((i) => i.dueDate)).toEqual([...paged.map((i) => i.dueDate)].sort());
  });
});
