import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deterministicUuid } from '../../src/application/ids';
import { DATA_CLASSES, PRIVACY_POLICY, visibleClasses, type Area, type DataClass } from '../../src/application/privacy/data-classes';
import { policy2023Input } from '../domain/policy-fixtures';
import { chinaCalendar2023To2024 } from '../domain/working-days-fixtures';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { idNumber } from '../support/national-ids';
import { expectStatus } from '../support/api-expect';

/**
 * Issue 13, personal data: ids that reveal nothing, one masking layer tested as a matrix
 * (route × role × inside/outside the area), group-level jurisdiction for decisions, existence
 * checks that do not leak, the log of sensitive reads, and the smaller items of finding 10.
 */

// Markers: each class of personal data has one value that appears nowhere else.
const HEAD_ID = idNumber('1950-06-01', 11);
const MARK: Record<DataClass, string | RegExp> = {
  identity: HEAD_ID,
  contact: '幸福路八号',
  health: '尿毒症晚期',
  disability: /"type":"mental"/,
  income_property: '612345',
  free_text: '每周透析三次',
};
const classesIn = (body: string): DataClass[] => DATA_CLASSES.filter((c) => (typeof MARK[c] === 'string' ? body.includes(MARK[c] as string) : (MARK[c] as RegExp).test(body)));

describe('personal data: ids, masking matrix, jurisdiction, existence checks, access log (issue 13)', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const ids: Record<string, string> = {};
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const ok = expectStatus;
  const at = (day: string) => t.clock.set(`${day}T02:00:00.000Z`);

  beforeAll(async () => {
    t = await startTestApp();
    at('2023-06-08');
    admin = bearer(t.token('admin'));
    await ok(call('POST', '/api/v1/calendars', JSON.parse(JSON.stringify(chinaCalendar2023To2024))), 201);
    await ok(call('POST', '/api/v1/policies', policy2023Input), 201);
    ids.town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    ids.town2 = (await ok(call('POST', '/api/v1/towns', { code: '530626101', name: '板栗镇' }), 201)).id;
    ids.village = (await ok(call('POST', '/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' }), 201)).id;
    ids.village2 = (await ok(call('POST', '/api/v1/villages', { townId: ids.town2, code: '530626101201', name: '福兴村' }), 201)).id;
    ids.g1 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201001', name: '一组' }), 201)).id;
    ids.g2 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201002', name: '二组' }), 201)).id;
    ids.g3 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village2, code: '530626101201001', name: '一组' }), 201)).id;
    const worker = async (name: string, level: string, seq: number, posting?: object) =>
      (await ok(call('POST', '/api/v1/workers', { name, level, phone: '13900000000', idNumber: idNumber('1985-03-03', seq), hireDate: '2023-01-01', ...(posting ? { posting } : {}) }), 201)).id;
    ids.county = await worker('县社工甲', 'county', 41);
    ids.county2 = await worker('县社工乙', 'county', 42);
    ids.townW = await worker('镇社工甲', 'town', 43, { townId: ids.town });
    ids.townW2 = await worker('镇社工乙', 'town', 44, { townId: ids.town2 });
    ids.vA = await worker('村社工甲', 'village', 45, { villageId: ids.village });
    ids.vB = await worker('村社工乙', 'village', 46, { villageId: ids.village });
    ids.vC = await worker('村社工丙', 'village', 47, { villageId: ids.village2 });
    await ok(call('POST', `/api/v1/workers/${ids.county}/town-links`, { townId: ids.town, from: '2023-01-01' }));
    await ok(call('POST', `/api/v1/workers/${ids.county2}/town-links`, { townId: ids.town2, from: '2023-01-01' }));
    await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vA, from: '2023-01-01' }));
    await ok(call('PUT', `/api/v1/groups/${ids.g2}/responsible-worker`, { workerId: ids.vB, from: '2023-01-01' }));
    await ok(call('PUT', `/api/v1/groups/${ids.g3}/responsible-worker`, { workerId: ids.vC, from: '2023-01-01' }));

    // A household in g1 with every class of personal data.
    const h = await ok(
      call('POST', '/api/v1/households', {
        groupId: ids.g1,
        address: '幸福路八号',
        incomeStability: 'unstable',
        members: [
          { name: '王老汉', idNumber: HEAD_ID, relation: 'head', labourCapacity: 'none', seriousIllness: '尿毒症晚期' },
          { name: '王小明', idNumber: idNumber('1990-09-01', 12), relation: 'child', labourCapacity: 'partial', disability: { type: 'mental', grade: 2 } },
        ],
      }),
      201,
    );
    ids.h1 = h.id;
    ids.p1 = h.members[0].personId;
    await ok(call('POST', `/api/v1/households/${ids.h1}/circumstances`, { on: '2023-06-01', category: 'health', description: '确诊尿毒症，每周透析三次' }));
    await ok(call('POST', '/api/v1/visits', { householdId: ids.h1, date: '2023-06-07', kind: 'routine', findings: '每周透析三次，精神尚可' }, bearer(t.token('village_worker', ids.vA))), 201);

    // An emergency case, decided at once (a decision with facts), and a 低保 case with recorded incomes.
    const temp = await ok(call('POST', '/api/v1/cases', { program: 'temporary', householdId: ids.h1, applicantPersonId: ids.p1, channel: 'emergency', relativeOf: { kind: 'village_cadre', name: '王支书', relation: '叔叔' } }), 201);
    ids.tempCase = temp.id;
    await ok(call('POST', `/api/v1/cases/${temp.id}/emergency-grant`, { facts: { cause: 'illness', description: '确诊尿毒症，每周透析三次', occurredOn: '2023-06-05', requestedFen: 200_000, emergency: true } }));
    ids.decision = (await ok(call('GET', `/api/v1/decisions?case=${temp.id}`))).items[0].decisionId;
    const dibao = await ok(call('POST', '/api/v1/cases', { program: 'dibao', householdId: ids.h1, applicantPersonId: ids.p1, channel: 'self' }), 201);
    ids.dibaoCase = dibao.id;
    await ok(call('POST', `/api/v1/cases/${dibao.id}/accept`, {}));
    const people = h.members.map((m: any, i: number) => ({ personId: m.personId, birthDate: m.birthDate, labourCapacity: ['none', 'partial'][i], ...(i === 1 ? { disabilities: [{ type: 'mental', grade: 2 }] } : { seriousIllness: true }) }));
    await ok(call('POST', `/api/v1/cases/${dibao.id}/facts`, { facts: { residence: 'rural', members: people, incomes: [{ source: 'farming', fenPerYear: 612_345 }], property: { financialAssetsFen: 0, vehicles: 0, housingUnits: 1 }, incomeStability: 'unstable' } }));
    await ok(call('POST', `/api/v1/cases/${dibao.id}/neighbour-interviews`, { on: '2023-06-08', interviewee: '邻居张 13812345678', summary: '每周透析三次属实' }));
  }, 120_000);
  afterAll(async () => t?.close());

  describe('finding 1: identifiers that reveal nothing', () => {
    it('gives a person an id that is not the name-based hash of the ID number', () => {
      expect(ids.p1).not.toBe(deterministicUuid(`person:${HEAD_ID}`));
      // Random (version 4), not name-based (version 5).
      expect(ids.p1).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('keeps the person id when the same person is registered again after leaving a household', async () => {
      const h = await ok(call('POST', '/api/v1/households', { groupId: ids.g2, incomeStability: 'stable', members: [{ name: '赵一', idNumber: idNumber('1980-01-01', 21), relation: 'head', labourCapacity: 'full' }, { name: '赵二', idNumber: idNumber('1981-01-01', 22), relation: 'spouse', labourCapacity: 'full' }] }), 201);
      const spouse = h.members[1].personId;
      await ok(call('POST', `/api/v1/households/${h.id}/members/${spouse}/remove`, { reason: '迁出' }));
      const again = await ok(call('POST', '/api/v1/households', { groupId: ids.g2, incomeStability: 'stable', members: [{ name: '赵二', idNumber: idNumber('1981-01-01', 22), relation: 'head', labourCapacity: 'full' }] }), 201);
      expect(again.members[0].personId).toBe(spouse);
    });

    it('gives workers ids that do not derive from their ID numbers', () => {
      expect(ids.vA).not.toBe(deterministicUuid(`worker:${idNumber('1985-03-03', 45)}`));
    });
  });

  describe('the policy table', () => {
    it('says which role sees which class of beneficiary data, inside and outside its area', () => {
      const row = (role: string, area: Area) => [...visibleClasses(role, 'beneficiary', area)].sort();
      expect(row('admin', 'inside')).toEqual([...DATA_CLASSES].sort());
      expect(row('auditor', 'inside')).toEqual([...DATA_CLASSES].sort());
      expect(row('evaluator', 'inside')).toEqual([]);
      expect(row('county_worker', 'inside')).toEqual(['contact', 'income_property']);
      expect(row('town_worker', 'inside')).toEqual([...DATA_CLASSES].sort());
      expect(row('town_worker', 'outside')).toEqual([]);
      expect(row('village_worker', 'inside')).toEqual([...DATA_CLASSES].sort());
      expect(row('village_worker', 'outside')).toEqual([]);
      expect(row('someone_new', 'inside')).toEqual([]);
    });

    it('never lets a role read free text where it may not read health data', () => {
      for (const [role, access] of Object.entries(PRIVACY_POLICY)) {
        for (const area of ['inside', 'outside'] as const) {
          const classes = access.beneficiary[area];
          if (classes.includes('free_text')) expect(classes, `${role} ${area}`).toContain('health');
        }
      }
    });
  });

  describe('the masking matrix: every route with personal data × every role × inside/outside', () => {
    const routes = () => [
      `/api/v1/households/${ids.h1}`,
      `/api/v1/households?group=${ids.g1}`,
      `/api/v1/visits?household=${ids.h1}`,
      `/api/v1/cases/${ids.tempCase}`,
      `/api/v1/cases?household=${ids.h1}`,
      `/api/v1/cases/${ids.tempCase}/history`,
      `/api/v1/cases/${ids.dibaoCase}/history`,
      `/api/v1/cases/${ids.dibaoCase}/notice`,
      `/api/v1/decisions?case=${ids.tempCase}`,
      `/api/v1/decisions/${ids.decision}`,
      `/api/v1/decisions/export?format=jsonl`,
      `/api/v1/decisions/export?format=csv`,
    ];
    const principals = (): { name: string; role: string; sub?: string; area: Area }[] => [
      { name: 'admin', role: 'admin', area: 'inside' },
      { name: 'auditor', role: 'auditor', area: 'inside' },
      { name: 'evaluator', role: 'evaluator', area: 'inside' },
      { name: 'county worker linking the town', role: 'county_worker', sub: ids.county, area: 'inside' },
      { name: 'county worker of another town', role: 'county_worker', sub: ids.county2, area: 'outside' },
      { name: 'town worker of the town', role: 'town_worker', sub: ids.townW, area: 'inside' },
      { name: 'town worker of another town', role: 'town_worker', sub: ids.townW2, area: 'outside' },
      { name: 'village worker of the group', role: 'village_worker', sub: ids.vA, area: 'inside' },
      { name: 'village worker of another group in the village', role: 'village_worker', sub: ids.vB, area: 'outside' },
      { name: 'village worker of another town', role: 'village_worker', sub: ids.vC, area: 'outside' },
    ];

    it('shows each principal exactly the classes the policy table gives it (and the route carries)', async () => {
      const failures: string[] = [];
      for (const url of routes()) {
        const full = await call('GET', url);
        expect(full.statusCode, `${url} ${full.body}`).toBe(200);
        const carried = classesIn(full.body);
        for (const p of principals()) {
          const r = await call('GET', url, undefined, bearer(t.token(p.role as any, p.sub)));
          const seen = r.statusCode === 200 ? classesIn(r.body) : [];
          expect([200, 403, 404], `${p.name} ${url}`).toContain(r.statusCode);
          const expected = carried.filter((c) => visibleClasses(p.role, 'beneficiary', p.area).has(c));
          if (JSON.stringify(seen) !== JSON.stringify(expected)) failures.push(`${p.name} on ${url}: saw [${seen.join(',')}], expected [${expected.join(',')}]`);
        }
      }
      expect(failures).toEqual([]);
    }, 120_000);

    it('carries every class through at least one route (the matrix tests something)', async () => {
      const all = new Set<DataClass>();
      for (const url of routes()) classesIn((await call('GET', url)).body).forEach((c) => all.add(c));
      expect([...all].sort()).toEqual([...DATA_CLASSES].sort());
    });

    it('masks the free text of finding 4 for roles that may not read health data', async () => {
      const seen = await ok(call('GET', `/api/v1/households/${ids.h1}`, undefined, bearer(t.token('county_worker', ids.county))));
      expect(seen.circumstances[0]).toMatchObject({ category: 'health', description: '***' });
      expect(seen.personalDataMasked).toBe(true);
      const history = await ok(call('GET', `/api/v1/cases/${ids.dibaoCase}/history`, undefined, bearer(t.token('county_worker', ids.county))));
      const interview = history.events.find((e: any) => e.type === 'NeighbourInterviewed' || e.data.interviewee !== undefined)?.data;
      expect(interview.summary).toBe('***');
      expect(interview.interviewee).toBe('***');
      expect(history.personalDataMasked).toBe(true);
      const c = await ok(call('GET', `/api/v1/cases/${ids.tempCase}`, undefined, bearer(t.token('evaluator'))));
      expect(c.relativeOf).toMatchObject({ kind: 'village_cadre', name: '王*书' });
      const visits = await ok(call('GET', `/api/v1/visits?household=${ids.h1}`, undefined, bearer(t.token('evaluator'))));
      expect(visits.items[0].findings).toBe('***');
    });

    it('masks the decisions of finding 2 for county workers and evaluators, as households are', async () => {
      for (const headers of [bearer(t.token('county_worker', ids.county)), bearer(t.token('evaluator'))]) {
        const d = await ok(call('GET', `/api/v1/decisions/${ids.decision}`, undefined, headers));
        expect(d.facts.description).toBe('***');
        expect(d.personalDataMasked).toBe(true);
        expect(JSON.stringify(d)).not.toContain('透析');
      }
      const full = await ok(call('GET', `/api/v1/decisions/${ids.decision}`, undefined, bearer(t.token('auditor'))));
      expect(full.facts.description).toContain('每周透析三次');
    });
  });

  describe('volunteers, workers and service records through the same layer', () => {
    it('shows volunteers’ ID numbers to the bureau only and phones to workers only', async () => {
      const v = await ok(call('POST', '/api/v1/volunteers', { name: '志愿者乙', idNumber: idNumber('1993-03-03', 33), phone: '13800002222', skills: [], townId: ids.town }), 201);
      ids.volunteer = v.id;
      const seen = async (role: string, sub?: string) => (await call('GET', `/api/v1/volunteers/${v.id}`, undefined, bearer(t.token(role as any, sub)))).body;
      expect(await seen('admin')).toContain(idNumber('1993-03-03', 33));
      for (const [role, sub] of [['auditor'], ['evaluator'], ['county_worker', ids.county], ['town_worker', ids.townW], ['village_worker', ids.vA]] as const) {
        const body = await seen(role, sub);
        expect(body, role).not.toContain(idNumber('1993-03-03', 33));
        expect(body.includes('13800002222'), role).toBe(visibleClasses(role, 'volunteer', 'inside').has('contact'));
      }
    });

    it('shows workers’ ID numbers and phones to the employer only', async () => {
      const full = (await call('GET', `/api/v1/workers/${ids.townW}`)).body;
      expect(full).toContain(idNumber('1985-03-03', 43));
      for (const [role, sub] of [['auditor'], ['evaluator'], ['county_worker', ids.county], ['town_worker', ids.townW]] as const) {
        const r = await call('GET', `/api/v1/workers/${ids.townW}`, undefined, bearer(t.token(role as any, sub)));
        expect(r.body, role).not.toContain(idNumber('1985-03-03', 43));
        expect(r.body, role).not.toContain('13900000000');
      }
    });

    it('masks service-record notes for roles that may not read health data', async () => {
      const record = await ok(call('POST', '/api/v1/service-records', { activity: '上门理发', date: '2023-06-08', townId: ids.town, participants: [{ volunteerId: ids.volunteer, minutes: 60 }], householdIds: [ids.h1], note: '老人每周透析三次' }), 201);
      const byEvaluator = await ok(call('GET', `/api/v1/service-records/${record.id}`, undefined, bearer(t.token('evaluator'))));
      expect(byEvaluator.note).toBe('***');
      const listed = await ok(call('GET', '/api/v1/service-records', undefined, bearer(t.token('county_worker', ids.county))));
      expect(JSON.stringify(listed)).not.toContain('透析');
      const byTown = await ok(call('GET', `/api/v1/service-records/${record.id}`, undefined, bearer(t.token('town_worker', ids.townW))));
      expect(byTown.note).toBe('老人每周透析三次');
    });
  });

  describe('finding 2: decisions filtered by group for a village worker', () => {
    it('keeps another group’s decisions out of the list, the by-id read and the export', async () => {
      const other = bearer(t.token('village_worker', ids.vB));
      expect((await ok(call('GET', '/api/v1/decisions', undefined, other))).items).toEqual([]);
      expect((await call('GET', `/api/v1/decisions/${ids.decision}`, undefined, other)).statusCode).toBe(404);
      const exported = await call('GET', '/api/v1/decisions/export?format=jsonl', undefined, other);
      expect(exported.statusCode).toBe(200);
      expect(exported.body).toBe('');
      const own = bearer(t.token('village_worker', ids.vA));
      expect((await ok(call('GET', '/api/v1/decisions', undefined, own))).items.map((d: any) => d.decisionId)).toEqual([ids.decision]);
    });
  });

  describe('finding 6: existence checks that do not leak across areas', () => {
    it('refuses an ID number held in another group with “registered elsewhere” and no ids', async () => {
      const r = await call('POST', '/api/v1/households', { groupId: ids.g2, incomeStability: 'stable', members: [{ name: '王老汉', idNumber: HEAD_ID, relation: 'head', labourCapacity: 'none' }] }, bearer(t.token('village_worker', ids.vB)));
      expect(r.statusCode).toBe(422);
      expect(r.json()).toMatchObject({ rule: 'person.registered_elsewhere' });
      expect(r.json().detail).toContain('其他地区');
      expect(r.body).not.toContain(ids.h1);
      expect(r.body).not.toContain(ids.p1);
      expect(r.body).not.toContain(HEAD_ID);
    });

    it('still names the household to a caller whose area holds it', async () => {
      const r = await call('POST', '/api/v1/households', { groupId: ids.g1, incomeStability: 'stable', members: [{ name: '王老汉', idNumber: HEAD_ID, relation: 'head', labourCapacity: 'none' }] }, bearer(t.token('town_worker', ids.townW)));
      expect(r.json()).toMatchObject({ rule: 'person.already_in_household', existingHouseholdId: ids.h1 });
    });

    it('does the same for volunteers registered in another town', async () => {
      const volunteer = { name: '志愿者甲', idNumber: idNumber('1992-02-02', 31), phone: '13800001111', skills: [] };
      await ok(call('POST', '/api/v1/volunteers', { ...volunteer, townId: ids.town }, bearer(t.token('town_worker', ids.townW))), 201);
      const r = await call('POST', '/api/v1/volunteers', { ...volunteer, townId: ids.town2 }, bearer(t.token('town_worker', ids.townW2)));
      expect(r.statusCode).toBe(422);
      expect(r.json()).toMatchObject({ rule: 'volunteer.registered_elsewhere' });
      expect(Object.keys(r.json())).not.toContain('existingVolunteerId');
    });

    it('does not let masked roles confirm an exact ID number through ?idNumber=', async () => {
      for (const headers of [bearer(t.token('evaluator')), bearer(t.token('county_worker', ids.county)), bearer(t.token('county_worker', ids.county2))]) {
        expect((await call('GET', `/api/v1/households?idNumber=${HEAD_ID}`, undefined, headers)).statusCode).toBe(403);
        expect((await call('GET', `/api/v1/volunteers?idNumber=${idNumber('1992-02-02', 31)}`, undefined, headers)).statusCode).toBe(403);
      }
      // Outside their area, roles that may search find nothing.
      expect((await ok(call('GET', `/api/v1/households?idNumber=${HEAD_ID}`, undefined, bearer(t.token('town_worker', ids.townW2))))).items).toEqual([]);
      expect((await ok(call('GET', `/api/v1/households?idNumber=${HEAD_ID}`, undefined, bearer(t.token('town_worker', ids.townW))))).items).toHaveLength(1);
    });
  });

  describe('reads of sensitive classes are recorded and queryable by the auditor', () => {
    it('records who read which household’s health data and when, and pages through it', async () => {
      at('2023-06-09');
      await ok(call('GET', `/api/v1/households/${ids.h1}`, undefined, bearer(t.token('village_worker', ids.vA))));
      await ok(call('GET', `/api/v1/households/${ids.h1}`, undefined, bearer(t.token('evaluator', 'evaluator-7'))));
      const auditor = bearer(t.token('auditor'));
      const log = await ok(call('GET', `/api/v1/audit/personal-data-access?household=${ids.h1}&actor=${ids.vA}&from=2023-06-09T00:00:00.000Z`, undefined, auditor));
      expect(log.items).toEqual([
        expect.objectContaining({ actor: { id: ids.vA, role: 'village_worker' }, route: 'GET /households/{id}', householdId: ids.h1, at: '2023-06-09T02:00:00.000Z', classes: expect.arrayContaining(['health', 'disability', 'free_text']) }),
      ]);
      // The evaluator saw no sensitive class: nothing to record.
      expect((await ok(call('GET', '/api/v1/audit/personal-data-access?actor=evaluator-7', undefined, auditor))).items).toEqual([]);
      const first = await ok(call('GET', `/api/v1/audit/personal-data-access?household=${ids.h1}&limit=1`, undefined, auditor));
      expect(first.items).toHaveLength(1);
      const second = await ok(call('GET', `/api/v1/audit/personal-data-access?household=${ids.h1}&limit=1&cursor=${first.nextCursor}`, undefined, auditor));
      expect(second.items[0].seq).toBeGreaterThan(first.items[0].seq);
      expect(JSON.stringify(log)).not.toContain('尿毒症');
    });

    it('is the auditors’ and the bureau’s only', async () => {
      expect((await call('GET', '/api/v1/audit/personal-data-access', undefined, bearer(t.token('town_worker', ids.townW)))).statusCode).toBe(403);
      expect((await call('GET', '/api/v1/audit/personal-data-access', undefined, bearer(t.token('evaluator')))).statusCode).toBe(403);
      expect((await call('GET', '/api/v1/audit/personal-data-access'))).toHaveProperty('statusCode', 200);
    });
  });

  describe('finding 10 (the smaller items)', () => {
    it('refuses a hire date of 9999-12-31, accepts one within a month', async () => {
      const r = await call('POST', '/api/v1/workers', { name: '未来', level: 'village', phone: '13900000000', idNumber: idNumber('1985-03-03', 71), hireDate: '9999-12-31' });
      expect(r.statusCode).toBe(422);
      expect(r.json()).toMatchObject({ rule: 'worker.hire_date_too_late', latest: '2023-07-10' });
      await ok(call('POST', '/api/v1/workers', { name: '下月', level: 'village', phone: '13900000000', idNumber: idNumber('1985-03-03', 72), hireDate: '2023-07-01' }), 201);
    });

    it('gives a village-worker token naming a worker of another level no groups', async () => {
      // A town worker may be responsible for a group; a village_worker token with their id must not act as one.
      await ok(call('PUT', `/api/v1/groups/${ids.g2}/responsible-worker`, { workerId: ids.townW2, from: '2023-06-09' }));
      const h2 = (await ok(call('GET', `/api/v1/households?group=${ids.g2}`))).items[0];
      const forged = bearer(t.token('village_worker', ids.townW2));
      expect((await call('GET', `/api/v1/households/${h2.id}`, undefined, forged)).statusCode).toBe(403);
    });

    it('refuses to retire a group with households in it (422 naming them), even with no responsible worker', async () => {
      await ok(call('POST', `/api/v1/groups/${ids.g2}/responsible-worker/end`, { to: '2023-06-09' }));
      const households = (await ok(call('GET', `/api/v1/households?group=${ids.g2}`))).items.map((h: any) => `household:${h.id}`);
      expect(households.length).toBeGreaterThan(0);
      const r = await call('POST', `/api/v1/groups/${ids.g2}/retire`, {});
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json()).toMatchObject({ rule: 'group.has_open_responsibilities' });
      expect([...r.json().openResponsibilities].sort()).toEqual(households.sort());
    });
  });
});
