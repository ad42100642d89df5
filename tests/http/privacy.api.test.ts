import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deterministicUuid } from '../../src/application/ids';
import { DATA_CLASSES, PRIVACY_POLICY, visibleClasses, type Area, type DataClass, type SubjectKind } from '../../src/application/privacy/data-classes';
import { maskNationalId } from '../../src/domain/shared/national-id';
import { openApiPath, routesWithPersonalData } from '../support/personal-data-routes';
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
/** A volunteer's and the bureau's workers' own markers (their subjects are not beneficiaries). */
const VOLUNTEER_ID = idNumber('1994-04-04', 35);
const VOLUNTEER_PHONE = '13800003333';
const WORKER_ID = /530626198503030\d\d[\dX]/;
const WORKER_PHONE = '13900000000';
const classesIn = (body: string, marks: Partial<Record<DataClass, string | RegExp>> = MARK): DataClass[] =>
  DATA_CLASSES.filter((c) => {
    const mark = marks[c];
    return mark !== undefined && (typeof mark === 'string' ? body.includes(mark) : mark.test(body));
  });

interface Principal {
  name: string;
  role: string;
  sub?: string | undefined;
  /** Where household h1 (group g1) lies for them. */
  area: Area;
  /** Where a town-level record of the first town lies for them (a village worker sees their town). */
  townArea: Area;
}
interface Row {
  /** `GET /openapi/path`, as /docs/json names it. */
  route: string;
  url: string;
  subject: SubjectKind;
  marks?: Partial<Record<DataClass, string | RegExp>>;
  area?: (p: Principal) => Area;
  /** The route shows nothing of a record outside the caller's area (refused, or left out of the list). */
  hiddenOutside?: boolean;
}

/** GET routes whose declared response could hold personal data but does not, and why. */
const NOT_PERSONAL_DATA: Record<string, string> = {
  'GET /api/v1/admin/backup': 'the bureau’s backup of the whole database: admin only, by design',
  'GET /api/v1/assistance/monthly': 'counts per month, program and town',
  'GET /api/v1/audit/ledger/heads/daily': 'signed hashes of the event log',
  'GET /api/v1/audit/runs/{id}':
    'an audit run’s progress and report (auditor, admin): stream and event ids, hashes and findings, the same bodies as GET /audit/verify and POST /audit/replay',
  'GET /api/v1/calendars': 'working-day calendars',
  'GET /api/v1/cases/{id}/payments': 'amounts and months paid (publicly posted, 公示), read under the case’s own jurisdiction check',
  'GET /api/v1/coverage': 'counts of stations and workers per place',
  'GET /api/v1/data-imports/{id}/rejections.csv': 'row, field and message of rejected rows, never the value (admin, auditors, evaluators)',
  'GET /api/v1/detection-policies': 'thresholds per disability grade, about no one',
  'GET /api/v1/performance.csv': 'workers’ scores by name: no classified field of the staff',
  'GET /api/v1/policies': 'assistance policy texts',
  'GET /api/v1/schedule-policies': 'visit intervals per special group, about no one',
  'GET /metrics': 'process metrics',
};

describe('personal data: ids, masking matrix, jurisdiction, existence checks, access log (issue 13)', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const ids: Record<string, string> = {};
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
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
      (
        await ok(
          call('POST', '/api/v1/workers', {
            name,
            level,
            phone: '13900000000',
            idNumber: idNumber('1985-03-03', seq),
            hireDate: '2023-01-01',
            ...(posting ? { posting } : {}),
          }),
          201,
        )
      ).id;
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
    await ok(
      call(
        'POST',
        '/api/v1/visits',
        { householdId: ids.h1, date: '2023-06-07', kind: 'routine', findings: '每周透析三次，精神尚可' },
        bearer(t.token('village_worker', ids.vA)),
      ),
      201,
    );

    // An emergency case, decided at once (a decision with facts), and a 低保 case with recorded incomes.
    const temp = await ok(
      call('POST', '/api/v1/cases', {
        program: 'temporary',
        householdId: ids.h1,
        applicantPersonId: ids.p1,
        channel: 'emergency',
        relativeOf: { kind: 'village_cadre', name: '王支书', relation: '叔叔' },
      }),
      201,
    );
    ids.tempCase = temp.id;
    await ok(
      call('POST', `/api/v1/cases/${temp.id}/emergency-grant`, {
        facts: { cause: 'illness', description: '确诊尿毒症，每周透析三次', occurredOn: '2023-06-05', requestedFen: 200_000, emergency: true },
      }),
    );
    ids.decision = (await ok(call('GET', `/api/v1/decisions?case=${temp.id}`))).items[0].decisionId;
    const dibao = await ok(call('POST', '/api/v1/cases', { program: 'dibao', householdId: ids.h1, applicantPersonId: ids.p1, channel: 'self' }), 201);
    ids.dibaoCase = dibao.id;
    await ok(call('POST', `/api/v1/cases/${dibao.id}/accept`, {}));
    const people = h.members.map((m: any, i: number) => ({
      personId: m.personId,
      birthDate: m.birthDate,
      labourCapacity: ['none', 'partial'][i],
      ...(i === 1 ? { disabilities: [{ type: 'mental', grade: 2 }] } : { seriousIllness: true }),
    }));
    await ok(
      call('POST', `/api/v1/cases/${dibao.id}/facts`, {
        facts: {
          residence: 'rural',
          members: people,
          incomes: [{ source: 'farming', fenPerYear: 612_345 }],
          property: { financialAssetsFen: 0, vehicles: 0, housingUnits: 1 },
          incomeStability: 'unstable',
        },
      }),
    );
    await ok(
      call('POST', `/api/v1/cases/${dibao.id}/neighbour-interviews`, { on: '2023-06-08', interviewee: '邻居张 13812345678', summary: '每周透析三次属实' }),
    );

    ids.officer = (await ok(call('POST', '/api/v1/officials', { name: '县民政局审核员', role: 'civil_affairs_officer', from: '2023-01-01' }), 201)).id;
    ids.townOfficial = (
      await ok(call('POST', '/api/v1/officials', { name: '中城镇民政办', role: 'town_official', townId: ids.town, from: '2023-01-01' }), 201)
    ).id;
    ids.townOfficial2 = (
      await ok(call('POST', '/api/v1/officials', { name: '板栗镇民政办', role: 'town_official', townId: ids.town2, from: '2023-01-01' }), 201)
    ).id;

    // Volunteers, a team, a service record about the household, and a finding (with its task) from medical-insurance data.
    ids.matrixVolunteer = (
      await ok(
        call('POST', '/api/v1/volunteers', {
          name: '志愿者丙',
          idNumber: VOLUNTEER_ID,
          phone: VOLUNTEER_PHONE,
          skills: [],
          townId: ids.town,
          registeredOn: '2023-01-05',
        }),
        201,
      )
    ).id;
    ids.team = (
      await ok(call('POST', '/api/v1/volunteer-teams', { name: '银发先锋', kind: 'silver_pioneer', townId: ids.town, formedOn: '2023-01-10' }), 201)
    ).id;
    await ok(call('POST', `/api/v1/volunteer-teams/${ids.team}/members`, { volunteerId: ids.matrixVolunteer, from: '2023-02-01' }));
    ids.serviceRecord = (
      await ok(
        call('POST', '/api/v1/service-records', {
          activity: '上门理发',
          date: '2023-06-08',
          townId: ids.town,
          participants: [{ volunteerId: ids.matrixVolunteer, minutes: 60 }],
          householdIds: [ids.h1],
          note: '老人每周透析三次',
        }),
        201,
      )
    ).id;
    const medical = await t.app.inject({
      method: 'POST',
      url: '/api/v1/data-imports?source=medical_insurance',
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: ['id_number,name,settlement_id,settled_on,out_of_pocket', `${HEAD_ID},王老汉,M-1,2023-05-01,60000`].join('\n'),
    });
    expect(medical.json(), medical.body).toMatchObject({ findingsRaised: 1 });
    const finding = (await ok(call('GET', '/api/v1/findings'))).items[0];
    ids.finding = finding.id;
    ids.task = finding.taskId;
  }, 120_000);
  afterAll(async () => t?.close());

  describe('finding 1: identifiers that reveal nothing', () => {
    it('gives a person an id that is not the name-based hash of the ID number', () => {
      expect(ids.p1).not.toBe(deterministicUuid(`person:${HEAD_ID}`));
      // Random (version 4), not name-based (version 5).
      expect(ids.p1).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('keeps the person id when the same person is registered again after leaving a household', async () => {
      const h = await ok(
        call('POST', '/api/v1/households', {
          groupId: ids.g2,
          incomeStability: 'stable',
          members: [
            { name: '赵一', idNumber: idNumber('1980-01-01', 21), relation: 'head', labourCapacity: 'full' },
            { name: '赵二', idNumber: idNumber('1981-01-01', 22), relation: 'spouse', labourCapacity: 'full' },
          ],
        }),
        201,
      );
      const spouse = h.members[1].personId;
      await ok(call('POST', `/api/v1/households/${h.id}/members/${spouse}/remove`, { reason: '迁出' }));
      const again = await ok(
        call('POST', '/api/v1/households', {
          groupId: ids.g2,
          incomeStability: 'stable',
          members: [{ name: '赵二', idNumber: idNumber('1981-01-01', 22), relation: 'head', labourCapacity: 'full' }],
        }),
        201,
      );
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
    const principals = (): Principal[] => [
      { name: 'admin', role: 'admin', area: 'inside', townArea: 'inside' },
      { name: 'auditor', role: 'auditor', area: 'inside', townArea: 'inside' },
      { name: 'evaluator', role: 'evaluator', area: 'inside', townArea: 'inside' },
      { name: 'county worker linking the town', role: 'county_worker', sub: ids.county, area: 'inside', townArea: 'inside' },
      { name: 'county worker of another town', role: 'county_worker', sub: ids.county2, area: 'outside', townArea: 'outside' },
      { name: 'town worker of the town', role: 'town_worker', sub: ids.townW, area: 'inside', townArea: 'inside' },
      { name: 'town worker of another town', role: 'town_worker', sub: ids.townW2, area: 'outside', townArea: 'outside' },
      { name: 'village worker of the group', role: 'village_worker', sub: ids.vA, area: 'inside', townArea: 'inside' },
      { name: 'village worker of another group in the village', role: 'village_worker', sub: ids.vB, area: 'outside', townArea: 'inside' },
      { name: 'village worker of another town', role: 'village_worker', sub: ids.vC, area: 'outside', townArea: 'outside' },
      { name: 'the county’s civil-affairs officer', role: 'civil_affairs_officer', sub: ids.officer, area: 'inside', townArea: 'inside' },
      { name: 'the town’s official', role: 'town_official', sub: ids.townOfficial, area: 'inside', townArea: 'inside' },
      { name: 'another town’s official', role: 'town_official', sub: ids.townOfficial2, area: 'outside', townArea: 'outside' },
    ];
    const volunteerMarks = { identity: VOLUNTEER_ID, contact: VOLUNTEER_PHONE };
    const workerMarks = { identity: WORKER_ID, contact: WORKER_PHONE };
    /** Where a town-level record (a volunteer, a team) lies for each principal. */
    const byTown = (p: Principal) => p.townArea;
    /**
     * Every GET route that returns personal data, as a row of the matrix (keyed by its OpenAPI
     * path, so the document check below can tell a new route missing from here).
     */
    const rows = (): Row[] => [
      ...routes().map((url) => ({ route: `GET ${openApiPath(url)}`, url, subject: 'beneficiary' as const })),
      {
        route: 'GET /api/v1/volunteers/{id}',
        url: `/api/v1/volunteers/${ids.matrixVolunteer}`,
        subject: 'volunteer',
        marks: volunteerMarks,
        area: byTown,
        hiddenOutside: true,
      },
      {
        route: 'GET /api/v1/volunteers',
        url: `/api/v1/volunteers?town=${ids.town}`,
        subject: 'volunteer',
        marks: volunteerMarks,
        area: byTown,
        hiddenOutside: true,
      },
      {
        route: 'GET /api/v1/volunteer-teams/{id}',
        url: `/api/v1/volunteer-teams/${ids.team}`,
        subject: 'volunteer',
        marks: volunteerMarks,
        area: byTown,
        hiddenOutside: true,
      },
      {
        route: 'GET /api/v1/volunteer-teams',
        url: `/api/v1/volunteer-teams?town=${ids.town}`,
        subject: 'volunteer',
        marks: volunteerMarks,
        area: byTown,
        hiddenOutside: true,
      },
      { route: 'GET /api/v1/workers/{id}', url: `/api/v1/workers/${ids.townW}`, subject: 'staff', marks: workerMarks, area: byTown },
      { route: 'GET /api/v1/workers', url: '/api/v1/workers', subject: 'staff', marks: workerMarks, area: byTown },
      // Notes about the households served: the record names h1, so it lies where h1 does.
      { route: 'GET /api/v1/service-records/{id}', url: `/api/v1/service-records/${ids.serviceRecord}`, subject: 'beneficiary' },
      { route: 'GET /api/v1/service-records', url: `/api/v1/service-records?town=${ids.town}`, subject: 'beneficiary' },
      // Department data about a person of h1: their ID number, name and the reasons (costs of an illness).
      {
        route: 'GET /api/v1/findings/{id}',
        url: `/api/v1/findings/${ids.finding}`,
        subject: 'beneficiary',
        marks: { identity: HEAD_ID, free_text: 'out-of-pocket medical costs' },
      },
      {
        route: 'GET /api/v1/findings',
        url: '/api/v1/findings',
        subject: 'beneficiary',
        marks: { identity: HEAD_ID, free_text: 'out-of-pocket medical costs' },
      },
      { route: 'GET /api/v1/tasks/{id}', url: `/api/v1/tasks/${ids.task}`, subject: 'beneficiary', marks: { identity: '王老汉' } },
      // A printed decision letter names the applicant in full only for those who may see identities.
      {
        route: 'GET /api/v1/cases/{id}/documents/{kind}',
        url: `/api/v1/cases/${ids.tempCase}/documents/decision`,
        subject: 'beneficiary',
        marks: { identity: '王老汉' },
      },
      { route: 'GET /api/v1/tasks', url: '/api/v1/tasks', subject: 'beneficiary', marks: { identity: '王老汉' } },
      // A caseload names households by their head, masked (王*汉) for everyone: the full name must never show here.
      { route: 'GET /api/v1/workers/{id}/caseload', url: `/api/v1/workers/${ids.vA}/caseload`, subject: 'beneficiary', marks: { identity: '王老汉' } },
      // The bureau's monthly reports (names, masked ID numbers and amounts of the county's beneficiaries; bureau and auditors only).
      { route: 'GET /api/v1/reports/payment-roll', url: '/api/v1/reports/payment-roll?month=2023-06&format=json', subject: 'beneficiary' },
      { route: 'GET /api/v1/reports/monthly-statistics', url: '/api/v1/reports/monthly-statistics?month=2023-06&format=json', subject: 'beneficiary' },
      { route: 'GET /api/v1/reports/visit-completion', url: '/api/v1/reports/visit-completion?format=json', subject: 'beneficiary' },
    ];

    it('shows each principal exactly the classes the policy table gives it (and the route carries)', async () => {
      const failures: string[] = [];
      for (const row of rows()) {
        const full = await call('GET', row.url);
        expect(full.statusCode, `${row.url} ${full.body}`).toBe(200);
        const carried = classesIn(full.body, row.marks);
        for (const p of principals()) {
          const r = await call('GET', row.url, undefined, bearer(t.token(p.role as any, p.sub)));
          const seen = r.statusCode === 200 ? classesIn(r.body, row.marks) : [];
          expect([200, 403, 404], `${p.name} ${row.url}`).toContain(r.statusCode);
          const area = row.area?.(p) ?? p.area;
          const expected = area === 'outside' && row.hiddenOutside ? [] : carried.filter((c) => visibleClasses(p.role, row.subject, area).has(c));
          if (JSON.stringify(seen) !== JSON.stringify(expected))
            failures.push(`${p.name} on ${row.url}: saw [${seen.join(',')}], expected [${expected.join(',')}] (${r.statusCode})`);
        }
      }
      expect(failures).toEqual([]);
    }, 240_000);

    it('carries the classes each subject has through its rows (the matrix tests something)', async () => {
      const carried = async (subject: SubjectKind) => {
        const all = new Set<DataClass>();
        for (const row of rows().filter((r) => r.subject === subject)) classesIn((await call('GET', row.url)).body, row.marks).forEach((c) => all.add(c));
        return [...all].sort();
      };
      expect(await carried('volunteer')).toEqual(['contact', 'identity']);
      expect(await carried('staff')).toEqual(['contact', 'identity']);
      const departmentData = rows().filter((r) => /findings|tasks/.test(r.route));
      for (const row of departmentData) expect(classesIn((await call('GET', row.url)).body, row.marks), row.route).toContain('identity');
      expect(classesIn((await call('GET', `/api/v1/service-records/${ids.serviceRecord}`)).body)).toEqual(['free_text']);
      // The payment roll names the household's head with the ID number masked, even for the bureau.
      const roll = (await call('GET', '/api/v1/reports/payment-roll?month=2023-06&format=json')).body;
      expect(roll).toContain(maskNationalId(HEAD_ID));
      expect(roll).not.toContain(HEAD_ID);
    });

    it('replays an idempotent write masked as for its caller, and only to that caller', async () => {
      const failures: string[] = [];
      const url = `/api/v1/households/${ids.h1}/circumstances`;
      const body = { on: '2023-06-08', category: 'other', description: '补充说明' };
      const first = await call('POST', url, body, { ...admin, 'idempotency-key': 'matrix-admin' });
      expect(first.statusCode, first.body).toBe(200);
      const carried = classesIn(first.body);
      expect(carried).toEqual(classesIn((await call('GET', `/api/v1/households/${ids.h1}`)).body));
      expect(carried.length).toBeGreaterThanOrEqual(4);
      for (const [i, p] of principals().entries()) {
        const headers = { ...bearer(t.token(p.role as any, p.sub)), 'idempotency-key': `matrix-${i}` };
        const original = await call('POST', url, body, headers);
        const replay = await call('POST', url, body, headers);
        const expected = original.statusCode === 200 ? carried.filter((c) => visibleClasses(p.role, 'beneficiary', p.area).has(c)) : [];
        const seen = original.statusCode === 200 ? classesIn(original.body) : [];
        if (JSON.stringify(seen) !== JSON.stringify(expected)) failures.push(`${p.name}: saw [${seen.join(',')}], expected [${expected.join(',')}]`);
        if (original.statusCode === 200) {
          if (replay.headers['idempotent-replayed'] !== 'true' || replay.body !== original.body) failures.push(`${p.name}: the replay is not the stored reply`);
        } else if (replay.statusCode !== original.statusCode || replay.headers['idempotent-replayed'])
          failures.push(`${p.name}: a refusal was replayed (${replay.statusCode})`);
        // Those who work the household's case write to it inside their area (the officials confirm, they do not investigate).
        if (original.statusCode !== 200 && p.area === 'inside' && ['admin', 'county_worker', 'town_worker', 'village_worker'].includes(p.role))
          failures.push(`${p.name}: refused a write inside its area (${original.statusCode})`);
      }
      expect(failures).toEqual([]);
    }, 120_000);

    it('never shows an ID number or a phone in problem details, to any role', async () => {
      // A name typed with the ID number and a phone in it, quoted by the rule that refuses it.
      const payload = {
        groupId: ids.g1,
        incomeStability: 'stable',
        members: [{ name: `王老汉${HEAD_ID}电话13812349876`, idNumber: HEAD_ID, relation: 'head', labourCapacity: 'none' }],
      };
      const marks = { identity: HEAD_ID, contact: '13812349876' };
      const byAdmin = await call('POST', '/api/v1/households', payload);
      expect(byAdmin.statusCode).toBe(422);
      // The Chinese detail comes from the message catalogue: it quotes neither the value nor its mask.
      expect(byAdmin.body).not.toContain(HEAD_ID);
      expect(byAdmin.body).not.toContain('13812349876');
      for (const p of principals()) {
        const r = await call('POST', '/api/v1/households', payload, bearer(t.token(p.role as any, p.sub)));
        expect(r.headers['content-type'], p.name).toContain('application/problem+json');
        expect(classesIn(r.body, marks), `${p.name} ${r.body}`).toEqual([]);
      }
    });

    it('keeps the promise NOT_PERSONAL_DATA makes for rejections: the row, field and message, never the value', async () => {
      const wrongCheckDigit = HEAD_ID.slice(0, 17) + (HEAD_ID.endsWith('1') ? '2' : '1');
      const imported = await t.app.inject({
        method: 'POST',
        url: '/api/v1/data-imports?source=medical_insurance',
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: ['id_number,name,settlement_id,settled_on,out_of_pocket', `${wrongCheckDigit},王老汉,M-9,2023-05-02,尿毒症透析`].join('\n'),
      });
      expect(imported.statusCode, imported.body).toBeLessThan(300);
      const csv = await call('GET', `/api/v1/data-imports/${imported.json().id}/rejections.csv`);
      expect(csv.statusCode).toBe(200);
      expect(csv.body.split('\n').filter(Boolean).length).toBeGreaterThan(1);
      for (const value of [wrongCheckDigit, '王老汉', '尿毒症透析']) expect(csv.body).not.toContain(value);
    });

    it('has a row for every GET route whose declared response can hold personal data (OpenAPI)', async () => {
      const doc = (await call('GET', '/docs/json')).json();
      const found = routesWithPersonalData(doc);
      const inMatrix = new Set(rows().map((r) => r.route));
      const declared = new Set([...inMatrix, ...Object.keys(NOT_PERSONAL_DATA)]);
      expect([...found].filter((r) => !declared.has(r)).sort(), 'routes to add to the matrix (or to NOT_PERSONAL_DATA, with the reason)').toEqual([]);
      expect(
        Object.keys(NOT_PERSONAL_DATA)
          .filter((r) => !found.has(r))
          .sort(),
        'exemptions the document no longer needs',
      ).toEqual([]);
      const documented = new Set(
        Object.entries<Record<string, unknown>>(doc.paths)
          .filter(([, ops]) => ops.get)
          .map(([path]) => `GET ${path}`),
      );
      expect(
        [...inMatrix].filter((r) => !documented.has(r)),
        'matrix rows for routes the document does not have',
      ).toEqual([]);
    });

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
      const v = await ok(
        call('POST', '/api/v1/volunteers', { name: '志愿者乙', idNumber: idNumber('1993-03-03', 33), phone: '13800002222', skills: [], townId: ids.town }),
        201,
      );
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
        const r = await call('GET', `/api/v1/workers/${ids.townW}`, undefined, bearer(t.token(role, sub)));
        expect(r.body, role).not.toContain(idNumber('1985-03-03', 43));
        expect(r.body, role).not.toContain('13900000000');
      }
    });

    it('masks service-record notes for roles that may not read health data', async () => {
      const record = await ok(
        call('POST', '/api/v1/service-records', {
          activity: '上门理发',
          date: '2023-06-08',
          townId: ids.town,
          participants: [{ volunteerId: ids.volunteer, minutes: 60 }],
          householdIds: [ids.h1],
          note: '老人每周透析三次',
        }),
        201,
      );
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
      const r = await call(
        'POST',
        '/api/v1/households',
        { groupId: ids.g2, incomeStability: 'stable', members: [{ name: '王老汉', idNumber: HEAD_ID, relation: 'head', labourCapacity: 'none' }] },
        bearer(t.token('village_worker', ids.vB)),
      );
      expect(r.statusCode).toBe(422);
      expect(r.json()).toMatchObject({ rule: 'person.registered_elsewhere' });
      expect(r.json().detail).toContain('其他地区');
      expect(r.body).not.toContain(ids.h1);
      expect(r.body).not.toContain(ids.p1);
      expect(r.body).not.toContain(HEAD_ID);
    });

    it('still names the household to a caller whose area holds it', async () => {
      const r = await call(
        'POST',
        '/api/v1/households',
        { groupId: ids.g1, incomeStability: 'stable', members: [{ name: '王老汉', idNumber: HEAD_ID, relation: 'head', labourCapacity: 'none' }] },
        bearer(t.token('town_worker', ids.townW)),
      );
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
      const log = await ok(
        call('GET', `/api/v1/audit/personal-data-access?household=${ids.h1}&actor=${ids.vA}&from=2023-06-09T00:00:00.000Z`, undefined, auditor),
      );
      expect(log.items).toEqual([
        expect.objectContaining({
          actor: { id: ids.vA, role: 'village_worker' },
          route: 'GET /households/{id}',
          householdId: ids.h1,
          at: '2023-06-09T02:00:00.000Z',
          classes: expect.arrayContaining(['health', 'disability', 'free_text']),
        }),
      ]);
      // The evaluator saw no sensitive class: nothing to record.
      expect((await ok(call('GET', '/api/v1/audit/personal-data-access?actor=evaluator-7', undefined, auditor))).items).toEqual([]);
      const first = await ok(call('GET', `/api/v1/audit/personal-data-access?household=${ids.h1}&limit=1`, undefined, auditor));
      expect(first.items).toHaveLength(1);
      const second = await ok(call('GET', `/api/v1/audit/personal-data-access?household=${ids.h1}&limit=1&cursor=${first.nextCursor}`, undefined, auditor));
      expect(second.items[0].seq).toBeGreaterThan(first.items[0].seq);
      expect(JSON.stringify(log)).not.toContain('尿毒症');
    });

    it('records every showing of a household search page, the same page shown again included, and shows a change at once', async () => {
      at('2023-06-10');
      const worker = bearer(t.token('village_worker', ids.vA));
      const auditor = bearer(t.token('auditor'));
      const url = `/api/v1/households?group=${ids.g1}`;
      const first = await ok(call('GET', url, undefined, worker));
      expect(await ok(call('GET', url, undefined, worker))).toEqual(first);
      const readsOf = async () =>
        (await ok(call('GET', `/api/v1/audit/personal-data-access?actor=${ids.vA}&from=2023-06-10T00:00:00.000Z&limit=500`, undefined, auditor))).items
          .filter((e: { route: string }) => e.route === 'GET /households')
          .map((e: { householdId: string }) => e.householdId);
      const twice = await readsOf();
      expect(twice.filter((id: string) => id === ids.h1)).toHaveLength(2);
      expect(twice).toHaveLength(2 * new Set(twice).size);
      // A change recorded in between is in the next showing, and that showing is recorded too.
      await ok(call('POST', `/api/v1/households/${ids.h1}/circumstances`, { on: '2023-06-10', category: 'health', description: '复查后病情稳定' }));
      const after = await ok(call('GET', url, undefined, worker));
      const h1 = after.items.find((h: { id: string }) => h.id === ids.h1);
      expect(h1.circumstances.map((c: { description: string }) => c.description)).toContain('复查后病情稳定');
      expect((await readsOf()).filter((id: string) => id === ids.h1)).toHaveLength(3);
      at('2023-06-09'); // the day the tests after this one count from
    });

    it('is the auditors’ and the bureau’s only', async () => {
      expect((await call('GET', '/api/v1/audit/personal-data-access', undefined, bearer(t.token('town_worker', ids.townW)))).statusCode).toBe(403);
      expect((await call('GET', '/api/v1/audit/personal-data-access', undefined, bearer(t.token('evaluator')))).statusCode).toBe(403);
      expect(await call('GET', '/api/v1/audit/personal-data-access')).toHaveProperty('statusCode', 200);
    });
  });

  describe('finding 10 (the smaller items)', () => {
    it('refuses a hire date of 9999-12-31, accepts one within a month', async () => {
      const r = await call('POST', '/api/v1/workers', {
        name: '未来',
        level: 'village',
        phone: '13900000000',
        idNumber: idNumber('1985-03-03', 71),
        hireDate: '9999-12-31',
      });
      expect(r.statusCode).toBe(422);
      expect(r.json()).toMatchObject({ rule: 'worker.hire_date_too_late', latest: '2023-07-10' });
      await ok(
        call('POST', '/api/v1/workers', { name: '下月', level: 'village', phone: '13900000000', idNumber: idNumber('1985-03-03', 72), hireDate: '2023-07-01' }),
        201,
      );
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
