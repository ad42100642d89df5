import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { idNumber } from '../support/national-ids';
import { expectStatus } from '../support/api-expect';

describe('households, visits and schedules through HTTP', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const ids: Record<string, string> = {};
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const ok = expectStatus;
  const member = (name: string, birth: string, seq: number, relation: string, extra: object = {}) => ({
    name,
    idNumber: idNumber(birth, seq),
    relation,
    labourCapacity: 'full',
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2026-02-10T02:00:00.000Z');
    admin = bearer(t.token('admin'));
    ids.town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    ids.village = (await ok(call('POST', '/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' }), 201)).id;
    ids.g1 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201001', name: '一组' }), 201)).id;
    ids.g2 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201002', name: '二组' }), 201)).id;
    const worker = async (name: string, level: string, seq: number, posting: object) =>
      (
        await ok(
          call('POST', '/api/v1/workers', { name, level, phone: '13900000000', idNumber: idNumber('1985-03-03', seq), hireDate: '2025-01-01', posting }),
          201,
        )
      ).id;
    ids.vA = await worker('村社工甲', 'village', 31, { villageId: ids.village });
    ids.vB = await worker('村社工乙', 'village', 32, { villageId: ids.village });
    ids.town1 = await worker('镇社工丙', 'town', 33, { townId: ids.town });
    await ok(call('POST', `/api/v1/workers/${ids.town1}/village-worker-links`, { villageWorkerId: ids.vA, from: '2025-01-01' }));
    await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vA, from: '2025-01-01' }));
    await ok(call('PUT', `/api/v1/groups/${ids.g2}/responsible-worker`, { workerId: ids.vB, from: '2025-01-01' }));
  });
  afterAll(async () => t?.close());

  describe('households', () => {
    it('registers a household with members, deriving birth date and sex from ID numbers', async () => {
      const village = bearer(t.token('village_worker', ids.vA));
      const household = await ok(
        call(
          'POST',
          '/api/v1/households',
          {
            groupId: ids.g1,
            incomeStability: 'unstable',
            members: [
              member('王老汉', '1950-06-01', 11, 'head', { labourCapacity: 'none', disability: { type: 'physical', grade: 2 } }),
              member('王小明', '2014-09-01', 12, 'grandchild', { labourCapacity: 'none', schoolStatus: 'primary' }),
            ],
          },
          village,
        ),
        201,
      );
      ids.h1 = household.id;
      ids.p1 = household.members[0].personId;
      expect(household.members[0]).toMatchObject({ name: '王老汉', birthDate: '1950-06-01', sex: 'male', disability: { type: 'physical', grade: 2 } });
      expect(household.personalDataMasked).toBe(false);
    });

    it('refuses the same ID number in a second household, naming the first (422)', async () => {
      const r = await call('POST', '/api/v1/households', { groupId: ids.g2, members: [member('王老汉', '1950-06-01', 11, 'head')] });
      expect(r.statusCode).toBe(422);
      expect(r.json()).toMatchObject({ rule: 'person.already_in_household', existingHouseholdId: ids.h1 });
      expect(r.body).not.toContain(idNumber('1950-06-01', 11));
    });

    it('refuses a household in a group outside the worker’s jurisdiction (403)', async () => {
      const r = await call(
        'POST',
        '/api/v1/households',
        { groupId: ids.g2, members: [member('李四', '1970-01-01', 15, 'head')] },
        bearer(t.token('village_worker', ids.vA)),
      );
      expect(r.statusCode).toBe(403);
    });

    it('refuses a change to a household outside the worker’s area (403) or unknown (404), writing nothing', async () => {
      const elsewhere = await ok(call('POST', '/api/v1/households', { groupId: ids.g2, members: [member('赵六', '1972-02-02', 16, 'head')] }), 201);
      const village = bearer(t.token('village_worker', ids.vA));
      const join = (id: string) => call('POST', `/api/v1/households/${id}/special-groups`, { group: 'dibao', from: '2025-06-15' }, village);
      const foreign = await join(elsewhere.id);
      expect(foreign.statusCode).toBe(403);
      expect(foreign.json()).toMatchObject({ status: 403 });
      expect((await join('00000000-0000-4000-8000-00000000abcd')).statusCode).toBe(404);
      const after = await ok(call('GET', `/api/v1/households/${elsewhere.id}`));
      expect(after).toMatchObject({ version: 1, specialGroups: [] });
    });

    it('records special-group memberships and finds households by them, by name and by exact ID number', async () => {
      await ok(call('POST', `/api/v1/households/${ids.h1}/special-groups`, { group: 'dibao', from: '2025-06-15' }));
      await ok(call('POST', `/api/v1/households/${ids.h1}/special-groups`, { group: 'left_behind_elder', personId: ids.p1, from: '2025-01-01' }));
      expect((await ok(call('GET', '/api/v1/households?specialGroup=dibao'))).items.map((h: any) => h.id)).toEqual([ids.h1]);
      expect((await ok(call('GET', `/api/v1/households?name=${encodeURIComponent('小明')}`))).items.map((h: any) => h.id)).toEqual([ids.h1]);
      expect((await ok(call('GET', `/api/v1/households?idNumber=${idNumber('1950-06-01', 11)}`))).items).toHaveLength(1);
      expect((await ok(call('GET', `/api/v1/households?idNumber=${idNumber('1950-06-01', 99)}`))).items).toHaveLength(0);
    });

    it('masks ID numbers and leaves out health data for evaluators', async () => {
      const seen = await ok(call('GET', `/api/v1/households/${ids.h1}`, undefined, bearer(t.token('evaluator'))));
      expect(seen.personalDataMasked).toBe(true);
      expect(seen.members[0].idNumber).toMatch(/^530626\*{10}\w{2}$/);
      expect(seen.members[0].disability).toBeNull();
      expect(JSON.stringify(seen)).not.toContain(idNumber('1950-06-01', 11));
    });
  });

  describe('visits', () => {
    it('lets the responsible worker and the linked town worker record a visit, nobody else', async () => {
      const r1 = await ok(
        call(
          'POST',
          '/api/v1/visits',
          { householdId: ids.h1, date: '2026-02-10', kind: 'routine', findings: '身体尚可' },
          bearer(t.token('village_worker', ids.vA)),
        ),
        201,
      );
      expect(r1).toMatchObject({ late: false, policyVersion: 1 });
      await ok(call('POST', '/api/v1/visits', { groupId: ids.g1, date: '2026-02-09', kind: 'care' }, bearer(t.token('town_worker', ids.town1))), 201);
      expect(
        (await call('POST', '/api/v1/visits', { householdId: ids.h1, date: '2026-02-10', kind: 'routine' }, bearer(t.token('village_worker', ids.vB))))
          .statusCode,
      ).toBe(403);
    });

    it('refuses a future date and flags a late one', async () => {
      const village = bearer(t.token('village_worker', ids.vA));
      const future = await call('POST', '/api/v1/visits', { householdId: ids.h1, date: '2026-02-11', kind: 'routine' }, village);
      expect(future.json().rule).toBe('visit.date_in_future');
      const late = await ok(call('POST', '/api/v1/visits', { householdId: ids.h1, date: '2026-02-04', kind: 'review' }, village), 201);
      expect(late.late).toBe(true);
      expect((await call('POST', '/api/v1/visits', { householdId: ids.h1, date: '2026-02-02', kind: 'routine' }, village)).json().rule).toBe(
        'visit.backdated_too_far',
      );
    });

    it('lists visits with filters, and counts visits and person-times per month', async () => {
      const visits = await ok(call('GET', `/api/v1/visits?household=${ids.h1}`));
      expect(visits.items.map((v: any) => v.date)).toEqual(['2026-02-10', '2026-02-04']);
      expect((await ok(call('GET', '/api/v1/visits?kind=care'))).items).toHaveLength(1);
      const stats = await ok(call('GET', '/api/v1/visits/monthly?from=2026-01&to=2026-02'));
      expect(stats.items).toEqual([{ month: '2026-02', townId: ids.town, visits: 3, personTimes: 4, households: 1 }]);
    });
  });

  describe('schedules', () => {
    it('shows what is overdue after a month with missed visits, per worker', async () => {
      t.clock.set('2026-03-20T02:00:00.000Z');
      const overdue = await ok(call('GET', `/api/v1/schedule/overdue?worker=${ids.vB}`));
      expect(overdue.items.map((i: any) => [i.obligation, i.groupId, i.month])).toEqual(expect.arrayContaining([['group_monthly_visit', ids.g2, '2026-02']]));
      expect(overdue.items.every((i: any) => i.workerId === ids.vB)).toBe(true);
      const mine = await ok(call('GET', `/api/v1/schedule/overdue?worker=${ids.vA}`));
      expect(mine.items.filter((i: any) => i.month === '2026-02')).toEqual([]); // February was visited
    });

    it('lists what falls due within a window, and the dynamic review from the last review visit', async () => {
      const due = await ok(call('GET', `/api/v1/schedule/due?within=15d&worker=${ids.vA}`));
      expect(due.items.map((i: any) => [i.obligation, i.dueDate])).toEqual(
        expect.arrayContaining([
          ['group_monthly_visit', '2026-03-31'],
          ['household_monthly_visit', '2026-03-31'],
        ]),
      );
      const caseload = await ok(call('GET', `/api/v1/workers/${ids.vA}/caseload`));
      expect(caseload.groups).toEqual([ids.g1]);
      expect(caseload.households).toEqual([ids.h1]);
      const review = [...caseload.due, ...caseload.overdue].find((i: any) => i.obligation === 'dynamic_review');
      // Unstable income, but nobody in the household can work: the long interval applies.
      expect(review).toMatchObject({ lastVisit: '2026-02-04', dueDate: '2027-02-04', interval: { months: 12, reason: 'no one able to work' } });
    });

    it('names each item by its group and its household head, masked (the lists show names, not ids)', async () => {
      const due = await ok(call('GET', `/api/v1/schedule/due?within=15d&worker=${ids.vA}`));
      const household = due.items.find((i: any) => i.obligation === 'household_monthly_visit');
      expect(household).toMatchObject({ householdId: ids.h1, householdName: '王*汉', groupName: '一组' });
      const group = due.items.find((i: any) => i.obligation === 'group_monthly_visit');
      expect(group).toMatchObject({ householdId: null, householdName: null, groupName: '一组' });
      const caseload = await ok(call('GET', `/api/v1/workers/${ids.vA}/caseload`));
      expect(caseload.names).toEqual({ groups: { [ids.g1!]: '一组' }, households: { [ids.h1!]: '王*汉' } });
    });

    it('moves what is due with a household that moves to another group', async () => {
      await ok(call('POST', `/api/v1/households/${ids.h1}/move`, { toGroupId: ids.g2, on: '2026-03-20' }));
      const caseloadB = await ok(call('GET', `/api/v1/workers/${ids.vB}/caseload`));
      expect(caseloadB.households).toEqual([ids.h1]);
      const caseloadA = await ok(call('GET', `/api/v1/workers/${ids.vA}/caseload`));
      expect(caseloadA.households).toEqual([]);
    });
  });

  it('adds groups and households visited this month to the coverage report', async () => {
    t.clock.set('2026-02-28T02:00:00.000Z');
    const report = await ok(call('GET', '/api/v1/coverage?detail=groups'));
    expect(report.totals.visitsThisMonth).toMatchObject({ groupsVisited: 1, householdsVisited: 1, visits: 3 });
    const g1 = report.towns[0].villages[0].groups.find((g: any) => g.id === ids.g1);
    expect(g1).toMatchObject({ visitedThisMonth: true, visitsThisMonth: 3 });
  });
});
