import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, type Position } from '../../src/application/event-store';
import { standards2023Input } from '../domain/standards-fixtures';
import { chinaCalendar2023To2024 } from '../domain/working-days-fixtures';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { idNumber } from '../support/national-ids';
import { eventually } from '../support/wait';
import { expectStatus } from '../support/api-expect';

/**
 * Issue #19, "what the bureau sends each month": a month of a small demo county (two towns, a
 * village and an urban community, 低保 A and C classes, a 特困 person on full care, a scattered
 * orphan, an emergency grant), then the payment roll and the statistics report for July 2023,
 * compared with totals this test computes itself from the events; then later events (a stop, a
 * renamed member) that must not change July as of its month end.
 */
describe('monthly reports: payment roll, statistics, visit completion', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const ids: Record<string, string> = {};
  const id = (k: string) => ids[k]!;
  const cases: Record<string, { id: string; town: string; program: string; residence: 'urban' | 'rural'; persons: number; name: string }> = {};
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const ok = expectStatus;
  const at = (day: string) => t.clock.set(`${day}T02:00:00.000Z`);
  let seq = 100;
  const julyCutoff = '2023-07-31T16:00:00.000Z'; // the end of 31 July in the county (UTC+8)

  const household = async (groupId: string, members: { name: string; birth: string; relation: string; labour: string }[]) => {
    const h = await ok(
      call('POST', '/api/v1/households', {
        groupId,
        incomeStability: 'stable',
        members: members.map((m) => ({ name: m.name, idNumber: idNumber(m.birth, seq++), relation: m.relation, labourCapacity: m.labour })),
      }),
      201,
    );
    return {
      id: h.id as string,
      people: h.members.map((m: any) => ({ personId: m.personId as string, birthDate: m.birthDate as string, name: m.name as string })),
    };
  };

  /** Apply → accept → facts → home investigation → notice → (7 days) decision, all by the bureau. */
  const decided = async (
    key: string,
    program: string,
    h: { id: string; people: { personId: string; name: string }[] },
    applicant: number,
    facts: object,
    town: string,
    residence: 'urban' | 'rural',
    persons: number,
  ) => {
    at('2023-06-01');
    const c = await ok(call('POST', '/api/v1/cases', { program, householdId: h.id, applicantPersonId: h.people[applicant]!.personId, channel: 'self' }), 201);
    await ok(call('POST', `/api/v1/cases/${c.id}/accept`, {}));
    await ok(call('POST', `/api/v1/cases/${c.id}/facts`, { facts }));
    at('2023-06-02'); // steps are dated no later than the county's today
    await ok(call('POST', `/api/v1/cases/${c.id}/home-investigations`, { investigatorIds: [id('vA'), id('vB')], on: '2023-06-02', findings: '属实' }));
    await ok(call('POST', `/api/v1/cases/${c.id}/notice`, { postedOn: '2023-06-02' }));
    at('2023-06-15');
    await ok(call('POST', `/api/v1/cases/${c.id}/submit`, {}));
    await ok(call('POST', `/api/v1/cases/${c.id}/check`, { result: 'forward' }));
    const d = await ok(call('POST', `/api/v1/cases/${c.id}/decision`, {}));
    expect(d.status).toBe('granted');
    cases[key] = { id: c.id, town, program, residence, persons, name: h.people[applicant]!.name };
  };

  beforeAll(async () => {
    t = await startTestApp();
    at('2023-05-02');
    admin = bearer(t.token('admin'));
    await ok(call('POST', '/api/v1/calendars', JSON.parse(JSON.stringify(chinaCalendar2023To2024))), 201);
    await ok(call('POST', '/api/v1/policies', standards2023Input), 201);
    ids.town1 = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    ids.town2 = (await ok(call('POST', '/api/v1/towns', { code: '530626105', name: '南岸镇' }), 201)).id;
    ids.village = (await ok(call('POST', '/api/v1/villages', { townId: id('town1'), code: '530626100201', name: '回望村' }), 201)).id;
    ids.community = (await ok(call('POST', '/api/v1/villages', { townId: id('town2'), kind: 'community', code: '530626105001', name: '福兴社区' }), 201)).id;
    ids.g1 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201001', name: '一组' }), 201)).id;
    ids.g2 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201002', name: '二组' }), 201)).id;
    ids.g3 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.community, code: '530626105001001', name: '一组' }), 201)).id;
    const worker = async (name: string, s: number, villageId: string) =>
      (
        await ok(
          call('POST', '/api/v1/workers', {
            name,
            level: 'village',
            phone: '13900000000',
            idNumber: idNumber('1985-03-03', s),
            hireDate: '2023-01-01',
            posting: { villageId },
          }),
          201,
        )
      ).id;
    ids.vA = await worker('村社工甲', 51, id('village'));
    ids.vB = await worker('社区社工乙', 52, id('community'));
    for (const [g, w] of [
      [id('g1'), id('vA')],
      [id('g2'), id('vA')],
      [id('g3'), id('vB')],
    ] as const)
      await ok(call('PUT', `/api/v1/groups/${g}/responsible-worker`, { workerId: w, from: '2023-01-01' }));

    // 中城镇 回望村: A类 (no one can work), C类 (capped at the gap), 特困 on full care, an emergency grant in July.
    const h1 = await household(id('g1'), [
      { name: '张老大', birth: '1950-01-01', relation: 'head', labour: 'none' },
      { name: '李老二', birth: '1952-02-02', relation: 'spouse', labour: 'none' },
      { name: '张小三', birth: '2010-03-03', relation: 'grandchild', labour: 'none' },
    ]);
    ids.h1 = h1.id;
    ids.h1head = h1.people[0]!.personId;
    const members = (h: typeof h1, labour: string[]) =>
      h.people.map((p: any, i: number) => ({ personId: p.personId, birthDate: p.birthDate, labourCapacity: labour[i] }));
    const property = { financialAssetsFen: 0, vehicles: 0, housingUnits: 1 };
    await decided(
      'a',
      'dibao',
      h1,
      0,
      {
        residence: 'rural',
        members: members(h1, ['none', 'none', 'none']),
        incomes: [{ source: 'farming', fenPerYear: 600_000 }],
        property,
        incomeStability: 'stable',
      },
      id('town1'),
      'rural',
      3,
    );
    const h2 = await household(id('g2'), [
      { name: '王四', birth: '1980-04-04', relation: 'head', labour: 'full' },
      { name: '赵五', birth: '1982-05-05', relation: 'spouse', labour: 'full' },
    ]);
    ids.h2 = h2.id;
    ids.h2people = JSON.stringify(members(h2, ['full', 'full']));
    await decided(
      'c',
      'dibao',
      h2,
      0,
      {
        residence: 'rural',
        members: members(h2, ['full', 'full']),
        incomes: [{ source: 'wages', fenPerYear: 1_000_000 }],
        property,
        incomeStability: 'stable',
      },
      id('town1'),
      'rural',
      2,
    );
    const h3 = await household(id('g1'), [{ name: '孙六', birth: '1940-06-06', relation: 'head', labour: 'none' }]);
    await decided(
      'tekun',
      'tekun',
      h3,
      0,
      {
        residence: 'rural',
        applicant: { personId: h3.people[0]!.personId, birthDate: h3.people[0]!.birthDate, labourCapacity: 'none' },
        incomes: [],
        supporters: [],
        careAssessment: { activitiesUnable: 5, assessedOn: '2023-06-01' },
      },
      id('town1'),
      'rural',
      1,
    );
    // 南岸镇 福兴社区: an urban C类 household of one, a scattered orphan.
    const h4 = await household(id('g3'), [{ name: '周七', birth: '1983-07-07', relation: 'head', labour: 'partial' }]);
    await decided(
      'urban',
      'dibao',
      h4,
      0,
      { residence: 'urban', members: members(h4, ['partial']), incomes: [], property, incomeStability: 'stable' },
      id('town2'),
      'urban',
      1,
    );
    const h5 = await household(id('g3'), [
      { name: '吴奶奶', birth: '1955-08-08', relation: 'head', labour: 'none' },
      { name: '吴小八', birth: '2015-09-09', relation: 'grandchild', labour: 'none' },
    ]);
    await decided(
      'orphan',
      'orphan',
      h5,
      1,
      {
        child: { personId: h5.people[1]!.personId, birthDate: h5.people[1]!.birthDate },
        father: { situation: 'dead' },
        mother: { situation: 'dead' },
        placement: 'scattered',
      },
      id('town2'),
      'urban',
      1,
    );
    // A house fire on 10 July: 先行救助 of ¥2,000 to a household of two, from the town's reserve fund.
    at('2023-07-10');
    await ok(call('POST', `/api/v1/reserve-funds/${id('town1')}/top-ups`, { fen: 5_000_000, reference: '绥民发〔2023〕12号' }), 201);
    const h6 = await household(id('g2'), [
      { name: '郑九', birth: '1975-10-10', relation: 'head', labour: 'full' },
      { name: '钱十', birth: '1976-11-11', relation: 'spouse', labour: 'full' },
    ]);
    const fire = await ok(
      call('POST', '/api/v1/cases', { program: 'temporary', householdId: h6.id, applicantPersonId: h6.people[0]!.personId, channel: 'emergency' }),
      201,
    );
    await ok(
      call('POST', `/api/v1/cases/${fire.id}/emergency-grant`, {
        facts: { cause: 'fire', description: '房屋失火', occurredOn: '2023-07-10', requestedFen: 200_000, emergency: true },
      }),
    );
    cases.fire = { id: fire.id, town: id('town1'), program: 'temporary', residence: 'rural', persons: 2, name: '郑九' };

    // Visits in July: 一组 of 回望村 visited, 二组 not; the community's group visited on the 28th but recorded only in August.
    at('2023-07-05');
    await ok(call('POST', '/api/v1/visits', { groupId: ids.g1, date: '2023-07-05', kind: 'routine' }, bearer(t.token('village_worker', id('vA')))), 201);
    at('2023-08-02');
    await ok(call('POST', '/api/v1/visits', { groupId: ids.g3, date: '2023-07-28', kind: 'routine' }, bearer(t.token('village_worker', id('vB')))), 201);
    // The reports read the gap-safe log: wait until it has passed the last append (another test
    // file's open transaction on a shared server can hold it back for a moment).
    await eventually(async () => expect((await expectedFromEvents('2023-07', julyCutoff)).total).toBe(610_767));
  });
  afterAll(async () => t?.close());

  /** The test's own reading of the events: each case's monthly amount in force on the 1st, one-offs in the month, as of a cut-off. */
  async function expectedFromEvents(month: string, cutoff: string) {
    const store = t.service.deps.store;
    const applied = new Map<string, any>();
    const decisions: any[] = [];
    let position: Position = START;
    for (;;) {
      const page = await store.readAll(position, 500, { types: ['CaseApplied', 'CaseDecided'] });
      for (const e of page.events) {
        if (e.recordedAt >= cutoff) continue;
        if (e.type === 'CaseApplied') applied.set((e.data as any).caseId, e.data);
        else decisions.push(e.data);
      }
      if (page.events.length === 0 || page.next === position) break;
      position = page.next;
    }
    const first = `${month}-01`;
    const byKey = new Map<string, { households: number; persons: number; fen: number }>();
    let total = 0;
    for (const [caseId, app] of applied) {
      const mine = decisions.filter((d) => d.caseId === caseId);
      const monthly = mine.filter((d) => d.payment?.kind === 'monthly' && d.payment.from <= first).at(-1);
      const stopped = mine.some((d) => d.paymentsEndOn && d.paymentsEndOn <= first);
      const oneOff = mine.filter((d) => d.payment?.kind === 'one_off' && d.payment.on.startsWith(month)).reduce((s, d) => s + d.payment.fen, 0);
      const fen = (monthly && !stopped ? monthly.payment.monthlyFen : 0) + oneOff;
      if (fen === 0) continue;
      const known = Object.values(cases).find((c) => c.id === caseId)!;
      const key = `${app.program}:${known.residence}`;
      const row = byKey.get(key) ?? { households: 0, persons: 0, fen: 0 };
      byKey.set(key, { households: row.households + 1, persons: row.persons + known.persons, fen: row.fen + fen });
      total += fen;
    }
    return { byKey, total };
  }

  it('the July payment roll matches the amounts the policy gives and the events hold', async () => {
    at('2023-08-03');
    const doc = await ok(call('GET', '/api/v1/reports/payment-roll?month=2023-07'));
    expect(doc.meta).toContainEqual(['数据截至', expect.stringContaining('2023-07-31')]);
    const section = (town: string, program: string) => doc.sections.find((s: any) => s.title === `${town} · ${program}`);
    const dibao1 = section('中城镇', '最低生活保障（低保）');
    // A类: (564,000 × 3 − 600,000) ÷ 12 = 91,000, + ¥60 × 3. C类: ¥150 × 2 capped at the gap (1,128,000 − 1,000,000) ÷ 12 ↑ = 10,667.
    expect(dibao1.rows.map((r: any) => [r.name, r.category, r.persons, r.monthly, r.total])).toEqual([
      ['张老大', 'A类', 3, 109_000, 109_000],
      ['王四', 'C类', 2, 10_667, 10_667],
    ]);
    expect(dibao1.rows[0].idNumber).toMatch(/^530626\*{10}\w{2}$/);
    expect(dibao1.rows[0].bankAccount).toBe('');
    expect(dibao1.totals).toMatchObject({ persons: 5, monthly: 119_667, total: 119_667 });
    // 特困: 733,200 ÷ 12 = 61,100, + 全护理 90,000.
    expect(section('中城镇', '特困人员救助供养').rows).toEqual([expect.objectContaining({ name: '孙六', category: '全护理', monthly: 151_100 })]);
    expect(section('中城镇', '临时救助').rows).toEqual([expect.objectContaining({ name: '郑九', oneOff: 200_000, total: 200_000, note: '一次性救助' })]);
    expect(section('南岸镇', '最低生活保障（低保）').rows).toEqual([expect.objectContaining({ name: '周七', category: 'C类', monthly: 20_000 })]);
    expect(section('南岸镇', '孤儿基本生活保障').rows).toEqual([expect.objectContaining({ name: '吴小八', category: '散居孤儿', monthly: 120_000 })]);

    const expected = await expectedFromEvents('2023-07', julyCutoff);
    const rollTotal = doc.sections.reduce((s: number, x: any) => s + x.totals.total, 0);
    expect(rollTotal).toBe(expected.total);
    expect(rollTotal).toBe(109_000 + 10_667 + 151_100 + 200_000 + 20_000 + 120_000);
    expect(doc.meta).toContainEqual(['总金额（元）', '6107.67']);
  });

  it('the July statistics report matches the test’s own totals by program and urban/rural', async () => {
    const doc = await ok(call('GET', '/api/v1/reports/monthly-statistics?month=2023-07'));
    const expected = await expectedFromEvents('2023-07', julyCutoff);
    const labels: Record<string, string> = {
      dibao: '最低生活保障（低保）',
      tekun: '特困人员救助供养',
      orphan: '孤儿基本生活保障',
      temporary: '临时救助',
      unsupported_child: '事实无人抚养儿童基本生活保障',
    };
    for (const program of Object.keys(labels)) {
      for (const [residence, zh] of [
        ['urban', '城市'],
        ['rural', '农村'],
      ] as const) {
        const row = doc.sections[0].rows.find((r: any) => r.program === labels[program] && r.residence === zh);
        const want = expected.byKey.get(`${program}:${residence}`) ?? { households: 0, persons: 0, fen: 0 };
        expect([row.households, row.persons, row.total], `${program} ${residence}`).toEqual([want.households, want.persons, want.fen]);
      }
    }
    // Persons: 3 + 2 (低保, 中城镇) + 1 (特困) + 1 (urban 低保) + 1 (orphan) + 2 (the household of the fire).
    expect(doc.sections[0].totals).toMatchObject({ households: 6, persons: 10, total: expected.total });
  });

  it('renders the same figures as CSV, xlsx and printable HTML', async () => {
    const csv = await call('GET', '/api/v1/reports/payment-roll?month=2023-07&format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['cache-control']).toBe('no-store');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body).toContain('张老大,530626');
    expect(csv.body).toContain(',1090.00,0.00,1090.00,新增');
    expect(csv.body).toMatch(/合计 2 户,,,,,5,,1196\.67,0\.00,1196\.67/);

    const xlsx = await call('GET', '/api/v1/reports/monthly-statistics?month=2023-07&format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain('.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as any);
    const ws = wb.worksheets[0]!;
    const values: unknown[][] = [];
    ws.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    expect(values.find((r) => r[0] === '总计')).toEqual(['总计', '', 6, 10, 4107.67, 2000, 6107.67]);

    const html = await call('GET', '/api/v1/reports/payment-roll?month=2023-07&town=' + id('town1') + '&format=html');
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.body).toContain('<html lang="zh-CN">');
    expect(html.body).toContain('@page { size: A4');
    expect(html.body).toContain('2023年7月社会救助资金发放花名册');
    expect(html.body).toContain('1090.00');
    expect(html.body).not.toContain('南岸镇 ·');
  });

  it('reproduces July exactly after later events: a stop in August and a renamed member', async () => {
    const before = (await call('GET', '/api/v1/reports/payment-roll?month=2023-07&format=csv')).body;
    const statsBefore = (await call('GET', '/api/v1/reports/monthly-statistics?month=2023-07&format=csv')).body;
    // August: 王四's household now earns too much (stopped from September); 张老大's name is corrected.
    at('2023-08-20');
    const c = cases.c!.id;
    await ok(
      call('POST', `/api/v1/cases/${c}/facts`, {
        facts: {
          residence: 'rural',
          members: JSON.parse(id('h2people')),
          incomes: [{ source: 'wages', fenPerYear: 3_000_000 }],
          property: { financialAssetsFen: 0, vehicles: 0, housingUnits: 1 },
          incomeStability: 'stable',
        },
      }),
    );
    expect((await ok(call('POST', `/api/v1/cases/${c}/review`, {}))).status).toBe('stopped');
    const h = await ok(call('GET', `/api/v1/households/${id('h1')}`));
    const head = h.members.find((m: any) => m.personId === id('h1head'));
    const updated = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/households/${id('h1')}/members/${id('h1head')}`,
      headers: admin,
      payload: { name: '张老大改', idNumber: head.idNumber, relation: 'head', labourCapacity: 'none' },
    });
    expect(updated.statusCode, updated.body).toBe(200);

    at('2023-10-05');
    await eventually(async () => expect((await expectedFromEvents('2023-09', '2023-09-30T16:00:00.000Z')).total).toBe(109_000 + 151_100 + 20_000 + 120_000));
    await eventually(async () =>
      expect((await ok(call('GET', `/api/v1/reports/payment-roll?month=2023-09&town=${id('town1')}&program=dibao`))).sections[0].rows[0].name).toBe('张老大改'),
    );
    expect((await call('GET', '/api/v1/reports/payment-roll?month=2023-07&format=csv')).body).toBe(before);
    expect((await call('GET', '/api/v1/reports/monthly-statistics?month=2023-07&format=csv')).body).toBe(statsBefore);
    // August still pays 王四 (the stop takes effect in September); September does not, and shows the new name.
    const aug = await ok(call('GET', '/api/v1/reports/payment-roll?month=2023-08&town=' + id('town1') + '&program=dibao'));
    expect(aug.sections[0].rows.map((r: any) => r.name)).toEqual(['张老大改', '王四']);
    const sep = await ok(call('GET', '/api/v1/reports/payment-roll?month=2023-09&town=' + id('town1') + '&program=dibao'));
    expect(sep.sections[0].rows.map((r: any) => r.name)).toEqual(['张老大改']);
    expect((await expectedFromEvents('2023-09', '2023-09-30T16:00:00.000Z')).total).toBe(109_000 + 151_100 + 20_000 + 120_000);
  });

  it('the visit-completion report counts only visits recorded by the day asked', async () => {
    const asOfJulyEnd = await ok(call('GET', '/api/v1/reports/visit-completion?asOf=2023-07-31'));
    const [summary, missed] = asOfJulyEnd.sections;
    expect(summary.totals).toMatchObject({ groupsDue: 3, groupsDone: 1, groupsRate: 3333 });
    expect(missed.rows.map((r: any) => `${r.village} ${r.group} ${r.worker}`)).toEqual(['回望村 二组 村社工甲', '福兴社区 一组 社区社工乙']);
    // Produced in August, July's last day looks the same; the report as of 2 August (a day in August) is August's.
    const aug = await ok(call('GET', '/api/v1/reports/visit-completion?asOf=2023-08-02'));
    expect(aug.title).toContain('2023年8月');
    expect(aug.sections[0].totals).toMatchObject({ groupsDue: 3, groupsDone: 0 });
  });

  it('is for the bureau and auditors only, and refuses months still to come', async () => {
    for (const role of ['county_worker', 'town_worker', 'village_worker', 'evaluator'] as const) {
      const r = await call('GET', '/api/v1/reports/payment-roll?month=2023-07', undefined, bearer(t.token(role)));
      expect(r.statusCode, role).toBe(403);
    }
    expect((await call('GET', '/api/v1/reports/payment-roll?month=2023-07', undefined, bearer(t.token('auditor')))).statusCode).toBe(200);
    const future = await call('GET', '/api/v1/reports/monthly-statistics?month=2031-01');
    expect(future.statusCode).toBe(422);
    expect(future.json().type).toBe('/problems/rule/report.month_in_future');
    expect((await call('GET', '/api/v1/reports/payment-roll?month=2023-13')).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/reports/payment-roll?month=2023-07&asOf=2023-06-30')).json().type).toBe('/problems/rule/report.as_of_before_month');
  });
});
