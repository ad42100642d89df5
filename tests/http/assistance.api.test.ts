import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policy2023Input } from '../domain/policy-fixtures';
import { chinaCalendar2023To2024 } from '../domain/working-days-fixtures';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { idNumber } from '../support/national-ids';
import { eventually } from '../support/wait';
import { asDba } from '../support/tamper';
import { expectStatus } from '../support/api-expect';

describe('social assistance: cases, rule-based decisions and the auditor’s replay', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let county: Record<string, string>;
  let town: Record<string, string>;
  let village: Record<string, string>;
  let officer: Record<string, string>;
  let townGov: Record<string, string>;
  const ids: Record<string, string> = {};
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const ok = expectStatus;
  const at = (day: string) => t.clock.set(`${day}T02:00:00.000Z`);

  const household = async (seq: number, members: { name: string; birth: string; relation: string; labour: string }[]) => {
    const h = await ok(
      call('POST', '/api/v1/households', {
        groupId: ids.g1,
        incomeStability: 'unstable',
        members: members.map((m, i) => ({ name: m.name, idNumber: idNumber(m.birth, seq + i), relation: m.relation, labourCapacity: m.labour })),
      }),
      201,
    );
    return { id: h.id as string, people: h.members.map((m: any) => ({ personId: m.personId as string, birthDate: m.birthDate as string })) };
  };

  beforeAll(async () => {
    t = await startTestApp();
    at('2023-05-02');
    admin = bearer(t.token('admin'));
    await ok(call('POST', '/api/v1/calendars', JSON.parse(JSON.stringify(chinaCalendar2023To2024))), 201);
    const policy = await ok(call('POST', '/api/v1/policies', policy2023Input), 201);
    expect(policy.contentHash).toMatch(/^[0-9a-f]{64}$/);
    ids.town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    ids.village = (await ok(call('POST', '/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' }), 201)).id;
    ids.g1 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201001', name: '一组' }), 201)).id;
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
    ids.county = await worker('县社工', 'county', 41);
    ids.county2 = await worker('县社工二', 'county', 44);
    ids.townW = await worker('镇社工', 'town', 42, { townId: ids.town });
    ids.vA = await worker('村社工', 'village', 43, { villageId: ids.village });
    await ok(call('POST', `/api/v1/workers/${ids.county}/town-links`, { townId: ids.town, from: '2023-01-01' }));
    await ok(call('POST', `/api/v1/workers/${ids.county2}/town-links`, { townId: ids.town, from: '2023-01-01' }));
    await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vA, from: '2023-01-01' }));
    county = bearer(t.token('county_worker', ids.county));
    town = bearer(t.token('town_worker', ids.townW));
    village = bearer(t.token('village_worker', ids.vA));
    // The officials the law names: the bureau confirms; the town government accepts and confirms within its limit.
    ids.officer = (await ok(call('POST', '/api/v1/officials', { name: '县民政局审核员', role: 'civil_affairs_officer', from: '2023-01-01' }), 201)).id;
    ids.townGov = (await ok(call('POST', '/api/v1/officials', { name: '中城镇民政办', role: 'town_official', townId: ids.town, from: '2023-01-01' }), 201)).id;
    officer = bearer(t.token('civil_affairs_officer', ids.officer));
    townGov = bearer(t.token('town_official', ids.townGov));
  });

  /** 报送 by the town's social worker, 审核把关 by the linked county worker, then 审核确认 by the authority. */
  const submitAndCheck = async (caseId: string, checker = county) => {
    await ok(call('POST', `/api/v1/cases/${caseId}/submit`, {}, town));
    return ok(call('POST', `/api/v1/cases/${caseId}/check`, { result: 'forward' }, checker));
  };
  afterAll(async () => t?.close());

  it('lists policy versions with their content hash, and refuses to change one', async () => {
    const list = await ok(call('GET', '/api/v1/policies?county=530626'));
    expect(list.items).toEqual([
      expect.objectContaining({ id: 'suijiang-2023', effectiveFrom: '2023-01-01', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
    const again = await call('POST', '/api/v1/policies', { ...policy2023Input, temporary: { maxOneOffFen: 1, townApprovalLimitFen: 0 } });
    expect(again.statusCode).toBe(422);
    expect(again.json().rule).toBe('policy.version_immutable');
    expect((await call('POST', '/api/v1/policies', { id: 'x' })).statusCode).toBe(400);
  });

  describe('低保: the whole procedure', () => {
    it('runs apply → accept → investigation → notice → objection → new notice → decision, refusing wrong-state commands', async () => {
      at('2023-06-01');
      const h = await household(11, [
        { name: '李大山', birth: '1970-02-02', relation: 'head', labour: 'partial' },
        { name: '王小花', birth: '1972-03-03', relation: 'spouse', labour: 'full' },
        { name: '李小山', birth: '2012-04-04', relation: 'child', labour: 'none' },
      ]);
      ids.dibaoHousehold = h.id;
      const c = await ok(
        call(
          'POST',
          '/api/v1/cases',
          { program: 'dibao', householdId: h.id, applicantPersonId: h.people[0].personId, channel: 'proactive', trigger: { kind: 'visit', id: 'v-1' } },
          village,
        ),
        201,
      );
      ids.dibao = c.id;
      expect(c).toMatchObject({ status: 'applied', channel: 'proactive', startedByWorkerId: ids.vA });

      const early = await call('POST', `/api/v1/cases/${c.id}/notice`, {}, town);
      expect(early.statusCode).toBe(422);
      expect(early.json()).toMatchObject({ rule: 'case.wrong_state', state: 'applied', allowed: ['Accept', 'GrantEmergency'] });

      const accepted = await ok(call('POST', `/api/v1/cases/${c.id}/accept`, {}, town));
      expect(accepted.dueDates.review).toBe('2023-07-07'); // 25 working days after 1 June, across the Dragon Boat holiday (22–24 June off, Sunday 25 June worked)
      const facts = {
        residence: 'rural',
        members: h.people.map((p: any, i: number) => ({ personId: p.personId, birthDate: p.birthDate, labourCapacity: ['partial', 'full', 'none'][i] })),
        incomes: [{ source: 'farming', fenPerYear: 600_000 }],
        property: { financialAssetsFen: 0, vehicles: 0, housingUnits: 1 },
        incomeStability: 'unstable',
      };
      expect((await call('POST', `/api/v1/cases/${c.id}/facts`, { facts: { residence: 'moon' } }, village)).statusCode).toBe(400);
      await ok(call('POST', `/api/v1/cases/${c.id}/facts`, { facts }, village));
      at('2023-06-02');
      await ok(
        call('POST', `/api/v1/cases/${c.id}/home-investigations`, { investigatorIds: [ids.townW, ids.vA], on: '2023-06-02', findings: '房屋简陋' }, town),
      );
      await ok(call('POST', `/api/v1/cases/${c.id}/neighbour-interviews`, { on: '2023-06-02', interviewee: '邻居张', summary: '属实' }, village));
      await ok(call('POST', `/api/v1/cases/${c.id}/data-checks`, { source: 'vehicle_registry', checkedOn: '2023-06-02', result: '无车辆' }, town));
      const posted = await ok(call('POST', `/api/v1/cases/${c.id}/notice`, { postedOn: '2023-06-02' }, town));
      expect(posted).toMatchObject({ status: 'in_notice', dueDates: { noticeEnds: '2023-06-09' } });

      const notice = await ok(call('GET', `/api/v1/cases/${c.id}/notice`, undefined, town));
      expect(notice.members.map((m: any) => m.name)).toEqual(['李*山', '王*花', '李*山']);
      expect(notice.members[0].idNumber).toMatch(/^530626\*{10}\w{2}$/);

      at('2023-06-05');
      const objected = await ok(call('POST', `/api/v1/cases/${c.id}/objections`, { on: '2023-06-05', summary: '有人反映其有经营收入' }, town));
      expect(objected.status).toBe('investigating');
      const tooSoon = await call('POST', `/api/v1/cases/${c.id}/decision`, {}, officer);
      expect(tooSoon.json()).toMatchObject({ rule: 'case.wrong_state', state: 'investigating' });
      at('2023-06-07');
      await ok(call('POST', `/api/v1/cases/${c.id}/data-checks`, { source: 'market_regulation', checkedOn: '2023-06-06', result: '无工商登记' }, town));
      await ok(call('POST', `/api/v1/cases/${c.id}/notice`, { postedOn: '2023-06-07' }, town));
      at('2023-06-10');
      expect((await call('POST', `/api/v1/cases/${c.id}/submit`, {}, town)).json().rule).toBe('case.notice_running');

      at('2023-06-15');
      await submitAndCheck(c.id);
      expect((await call('POST', `/api/v1/cases/${c.id}/decision`, {}, townGov)).json().rule).toBe('case.confirmation_authority');
      expect((await call('POST', `/api/v1/cases/${c.id}/decision`, {}, county)).statusCode).toBe(403);
      const decided = await ok(call('POST', `/api/v1/cases/${c.id}/decision`, {}, officer));
      // Payment starts the month after the decision; the case shows it as scheduled.
      expect(decided).toMatchObject({
        status: 'granted',
        paymentInForce: { monthlyFen: 91_000, from: '2023-07-01', to: null },
        dueDates: { nextDynamicReview: '2023-12-15' },
      });
      at('2023-07-03');
      expect((await ok(call('GET', `/api/v1/cases/${c.id}`))).paymentInForce).toEqual({ monthlyFen: 91_000, from: '2023-07-01', to: null });
    });

    it('records everything an auditor needs in the decision', async () => {
      const list = await ok(call('GET', `/api/v1/decisions?case=${ids.dibao}`, undefined, bearer(t.token('auditor'))));
      expect(list.items).toHaveLength(1);
      const decision = await ok(call('GET', `/api/v1/decisions/${list.items[0].decisionId}`, undefined, bearer(t.token('auditor'))));
      ids.dibaoDecision = decision.decisionId;
      expect(decision).toMatchObject({
        kind: 'initial',
        outcome: 'granted',
        decisionDate: '2023-06-15',
        policy: { id: 'suijiang-2023', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
        payment: { kind: 'monthly', monthlyFen: 91_000, from: '2023-07-01' },
        decidedBy: { actorId: ids.officer, role: 'civil_affairs_officer' },
        facts: { incomes: [{ source: 'farming', fenPerYear: 600_000 }] },
      });
      expect(decision.eligibility.rules.map((r: any) => [r.id, r.passed])).toContainEqual(['dibao.income_below_standard', true]);
      expect(decision.eligibility.rules[0].reason).toEqual({ zh: expect.any(String), en: expect.any(String) });
      expect(decision.eligibility.amount.computation.formula).toEqual(expect.any(String));
      expect(decision.evidence).toHaveLength(5); // facts, home investigation, neighbour interview, two data checks
    });

    it('proves to an auditor that the decision is in the ledger under a signed head', async () => {
      const { verifyInclusion } = await import('../../src/application/ledger/merkle');
      const decision = await ok(call('GET', `/api/v1/decisions/${ids.dibaoDecision}`, undefined, bearer(t.token('auditor'))));
      // The background sealer seals the decision's event; then a head is signed over it.
      const proof = await eventually(async () => {
        await t.service.ledger.sealHeadNow();
        return ok(call('GET', `/api/v1/audit/ledger/proofs/inclusion?decision=${ids.dibaoDecision}`, undefined, bearer(t.token('auditor'))));
      });
      expect(proof.event.eventId).toBe(decision.eventId);
      const hex = (h: string) => Buffer.from(h, 'hex');
      expect(proof.head.treeSize).toBe(proof.treeSize);
      expect(verifyInclusion(proof.leafIndex, proof.treeSize, hex(proof.leafHash), proof.auditPath.map(hex), hex(proof.head.rootHash))).toBe(true);
    });

    it('shows the case as it stood before the decision (as-of history)', async () => {
      const before = await ok(call('GET', `/api/v1/cases/${ids.dibao}/history?asOf=2023-06-12T00:00:00.000Z`, undefined, bearer(t.token('auditor'))));
      expect(before.status).toBe('in_notice');
      expect(before.decisions).toEqual([]);
      const now = await ok(call('GET', `/api/v1/cases/${ids.dibao}/history`, undefined, bearer(t.token('auditor'))));
      expect(now.status).toBe('granted');
      expect(now.events.at(-1)).toMatchObject({ type: 'CaseDecided', actor: { id: ids.officer, role: 'civil_affairs_officer' } });
    });

    it('stops the payment on a dynamic review when the household is no longer eligible (应退尽退)', async () => {
      at('2023-12-20');
      const overdue = await ok(call('GET', '/api/v1/cases?overdue=true'));
      expect(overdue.items.find((c: any) => c.id === ids.dibao).overdue).toEqual(['dynamic_review']);
      const hh = await ok(call('GET', `/api/v1/households/${ids.dibaoHousehold}`));
      const facts = {
        residence: 'rural',
        members: hh.members.map((m: any) => ({ personId: m.personId, birthDate: m.birthDate, labourCapacity: 'full' })),
        incomes: [{ source: 'wages', fenPerYear: 3_000_000 }],
        property: { financialAssetsFen: 0, vehicles: 0, housingUnits: 1 },
        incomeStability: 'stable',
      };
      await ok(call('POST', `/api/v1/cases/${ids.dibao}/facts`, { facts }, village));
      const reviewed = await ok(call('POST', `/api/v1/cases/${ids.dibao}/review`, {}, officer));
      expect(reviewed.status).toBe('stopped');
      at('2024-01-05');
      expect((await ok(call('GET', `/api/v1/cases/${ids.dibao}`))).paymentInForce).toBeNull();
    });
  });

  describe('临时救助 (emergency): assistance first, paperwork after', () => {
    it('grants at once within the town’s limit, shows the paperwork overdue, then completes it', async () => {
      at('2023-06-08');
      const h = await household(21, [{ name: '赵火', birth: '1960-01-01', relation: 'head', labour: 'partial' }]);
      // The village worker who found the fire starts the case; the town, within its limit, grants it.
      const c = await ok(
        call('POST', '/api/v1/cases', { program: 'temporary', householdId: h.id, applicantPersonId: h.people[0].personId, channel: 'emergency' }, village),
        201,
      );
      const granted = await ok(
        call(
          'POST',
          `/api/v1/cases/${c.id}/emergency-grant`,
          { facts: { cause: 'fire', description: '房屋失火', occurredOn: '2023-06-08', requestedFen: 200_000, emergency: true } },
          townGov,
        ),
      );
      expect(granted).toMatchObject({ status: 'emergency_granted', dueDates: { emergencyPaperwork: '2023-06-15' } });
      at('2023-06-19');
      expect((await ok(call('GET', `/api/v1/cases/${c.id}`))).overdue).toEqual(['emergency_paperwork']);
      expect((await call('POST', `/api/v1/cases/${c.id}/emergency-completion`, {}, townGov)).json().rule).toBe('case.home_investigation_missing');
      await ok(
        call('POST', `/api/v1/cases/${c.id}/home-investigations`, { investigatorIds: [ids.townW, ids.vA], on: '2023-06-19', findings: '火灾属实' }, town),
      );
      const done = await ok(call('POST', `/api/v1/cases/${c.id}/emergency-completion`, {}, townGov));
      expect(done).toMatchObject({ status: 'closed', overdue: [] });
      const counts = await ok(call('GET', '/api/v1/assistance/monthly?from=2023-06&to=2023-06'));
      expect(counts.items).toContainEqual(expect.objectContaining({ month: '2023-06', program: 'temporary', assistanceActions: 2, oneOffFen: 200_000 }));
    });
  });

  describe('特困 and 事实无人抚养儿童', () => {
    const procedure = async (program: string, applicant: number, facts: (people: any[]) => object, h: { id: string; people: any[] }) => {
      const c = await ok(
        call('POST', '/api/v1/cases', { program, householdId: h.id, applicantPersonId: h.people[applicant].personId, channel: 'self' }, village),
        201,
      );
      await ok(call('POST', `/api/v1/cases/${c.id}/accept`, {}, town));
      await ok(call('POST', `/api/v1/cases/${c.id}/facts`, { facts: facts(h.people) }, village));
      await ok(call('POST', `/api/v1/cases/${c.id}/home-investigations`, { investigatorIds: [ids.townW, ids.vA], on: '2023-07-03', findings: '' }, town));
      await ok(call('POST', `/api/v1/cases/${c.id}/notice`, { postedOn: '2023-07-03' }, town));
      at('2023-07-11');
      await submitAndCheck(c.id);
      return ok(call('POST', `/api/v1/cases/${c.id}/decision`, {}, officer));
    };

    it('grants 特困 when all three conditions hold', async () => {
      at('2023-07-03');
      const h = await household(31, [{ name: '孙老人', birth: '1950-06-01', relation: 'head', labour: 'none' }]);
      const decided = await procedure(
        'tekun',
        0,
        (p) => ({ residence: 'rural', applicant: { personId: p[0].personId, birthDate: p[0].birthDate, labourCapacity: 'none' }, incomes: [], supporters: [] }),
        h,
      );
      expect(decided.status).toBe('granted');
    });

    it('grants the orphan allowance when both parents are dead or missing', async () => {
      at('2023-07-03');
      const h = await household(61, [
        { name: '吴奶奶', birth: '1952-01-01', relation: 'head', labour: 'none' },
        { name: '吴小妹', birth: '2015-05-05', relation: 'grandchild', labour: 'none' },
      ]);
      const decided = await procedure(
        'orphan',
        1,
        (p) => ({ child: { personId: p[1].personId, birthDate: p[1].birthDate }, father: { situation: 'dead' }, mother: { situation: 'declared_missing' } }),
        h,
      );
      expect(decided).toMatchObject({ status: 'granted', paymentInForce: { monthlyFen: 115_000, from: '2023-08-01' } });
    });

    it('denies a de-facto unsupported child whose mother’s detention is too recent, and tracks the written refusal', async () => {
      at('2023-07-03');
      const h = await household(41, [
        { name: '周爷爷', birth: '1955-01-01', relation: 'head', labour: 'none' },
        { name: '周小宝', birth: '2014-09-01', relation: 'grandchild', labour: 'none' },
      ]);
      const decided = await procedure(
        'unsupported_child',
        1,
        (p) => ({
          child: { personId: p[1].personId, birthDate: p[1].birthDate },
          father: { situation: 'dead' },
          mother: { situation: 'in_prison', since: '2023-03-01' },
        }),
        h,
      );
      expect(decided).toMatchObject({ status: 'denied', dueDates: { refusalNotice: '2023-07-14' } });
      at('2023-07-20');
      expect((await ok(call('GET', `/api/v1/cases/${decided.id}`))).overdue).toEqual(['refusal_notice']);
      expect((await ok(call('POST', `/api/v1/cases/${decided.id}/refusal-notice`, { on: '2023-07-20' }, town))).overdue).toEqual([]);
    });
  });

  describe('conflict of interest (单独登记备案)', () => {
    it('needs a county-level investigation and keeps the relative out of the decision', async () => {
      at('2023-07-03');
      const h = await household(51, [{ name: '钱某', birth: '1950-02-02', relation: 'head', labour: 'none' }]);
      const c = await ok(
        call(
          'POST',
          '/api/v1/cases',
          {
            program: 'tekun',
            householdId: h.id,
            applicantPersonId: h.people[0].personId,
            channel: 'self',
            relativeOf: { kind: 'social_worker', workerId: ids.county, name: '县社工', relation: '父亲' },
          },
          village,
        ),
        201,
      );
      expect(c.relativeOf).toMatchObject({ kind: 'social_worker' });
      await ok(call('POST', `/api/v1/cases/${c.id}/accept`, {}, town));
      await ok(
        call(
          'POST',
          `/api/v1/cases/${c.id}/facts`,
          {
            facts: {
              residence: 'rural',
              applicant: { personId: h.people[0].personId, birthDate: '1950-02-02', labourCapacity: 'none' },
              incomes: [],
              supporters: [],
            },
          },
          village,
        ),
      );
      await ok(call('POST', `/api/v1/cases/${c.id}/home-investigations`, { investigatorIds: [ids.townW, ids.vA], on: '2023-07-03', findings: '' }, town));
      expect((await call('POST', `/api/v1/cases/${c.id}/notice`, { postedOn: '2023-07-03' }, town)).json().rule).toBe('case.county_investigation_required');
      at('2023-07-04');
      await ok(
        call(
          'POST',
          `/api/v1/cases/${c.id}/home-investigations`,
          { investigatorIds: [ids.county2, ids.townW], on: '2023-07-04', findings: '县级入户' },
          bearer(t.token('county_worker', ids.county2)),
        ),
      );
      await ok(call('POST', `/api/v1/cases/${c.id}/notice`, { postedOn: '2023-07-04' }, town));
      at('2023-07-12');
      await ok(call('POST', `/api/v1/cases/${c.id}/submit`, {}, town));
      // The relative's own check is refused; a colleague linked to the town checks instead.
      expect((await call('POST', `/api/v1/cases/${c.id}/check`, { result: 'forward' }, county)).json().rule).toBe('case.decider_is_relative');
      await ok(call('POST', `/api/v1/cases/${c.id}/check`, { result: 'forward' }, bearer(t.token('county_worker', ids.county2))));
      expect((await ok(call('POST', `/api/v1/cases/${c.id}/decision`, {}, officer))).status).toBe('granted');
    });
  });

  describe('the auditor’s replay', () => {
    it('finds no mismatch on honest data, exports decisions, and finds the one decision whose stored facts were altered', async () => {
      const auditor = bearer(t.token('auditor'));
      const csv = await call('GET', '/api/v1/decisions/export?format=csv&from=2023-01-01&to=2023-12-31', undefined, auditor);
      expect(csv.headers['content-type']).toContain('text/csv');
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- csv-parse's typed overload demands `columns`
      const [header, ...exported] = parse(csv.body.replace(/^\uFEFF/, '')) as string[][];
      expect(header!.slice(0, 6)).toEqual(['决定编号', '案件编号', '救助项目', '决定类型', '决定日期', '决定结果']);
      expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(exported.length + 1);
      const english = await call('GET', '/api/v1/decisions/export?format=csv&from=2023-01-01&to=2023-12-31&lang=en', undefined, auditor);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- csv-parse's typed overload demands `columns`
      const [englishHeader, ...englishRows] = parse(english.body.replace(/^\uFEFF/, '')) as string[][];
      expect(englishHeader!.slice(0, 2)).toEqual(['decisionId', 'caseId']);
      // program and outcome are written as their labels: 低保 / minimum living allowance, 批准 / granted
      expect(exported.map((row) => row[2])).toContain('低保');
      expect(exported.map((row) => row[5])).toContain('批准');
      expect(exported.flatMap((row) => [row[2], row[5]])).not.toContain('dibao');
      expect(englishRows.map((row) => row[2])).toContain('minimum living allowance');
      // The replay reads the log gap-safely: while a transaction of another test file is open on
      // the shared server, events committed after it started stay invisible to it for a moment.
      const clean = await eventually(async () => {
        const replay = await ok(call('POST', '/api/v1/audit/replay', { from: '2023-01-01', to: '2023-12-31' }, auditor));
        expect(csv.body.split('\n').filter(Boolean).length).toBe(replay.decisionsChecked + 1);
        return replay;
      });
      expect(clean).toMatchObject({ ok: true, mismatches: [], chains: { ok: true } });
      expect(clean.decisionsChecked).toBeGreaterThanOrEqual(6);
      // No body: every decision, counted from the case streams and re-run from the global log.
      const everything = await ok(call('POST', '/api/v1/audit/replay', undefined, auditor));
      expect(everything).toMatchObject({ ok: true, decisionsInLog: everything.decisionsReplayed });
      expect(everything.decisionsInLog).toBeGreaterThanOrEqual(clean.decisionsInLog);
      expect(clean.decisionsInLog).toBe(clean.decisionsReplayed);
      expect((await call('POST', '/api/v1/audit/replay', { from: '2023-01-01', to: '2023-12-31' }, town)).statusCode).toBe(403);

      const jsonl = await call('GET', '/api/v1/decisions/export?format=jsonl', undefined, auditor);
      expect(
        jsonl.body
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).decisionId),
      ).toContain(ids.dibaoDecision);

      // Someone with database access lowers the recorded income of the 低保 decision.
      await asDba(
        t.database.db,
        sql`update es_events set data_jcs = jsonb_set(data_jcs::jsonb, '{facts,incomes,0,fenPerYear}', '100000')::text where type = 'CaseDecided' and data_jcs::jsonb->>'decisionId' = ${ids.dibaoDecision}`,
      );
      const tampered = await ok(call('POST', '/api/v1/audit/replay', { from: '2023-01-01', to: '2023-12-31' }, auditor));
      expect(tampered.ok).toBe(false);
      expect(tampered.mismatches).toEqual([expect.objectContaining({ decisionId: ids.dibaoDecision, reason: expect.stringContaining('different result') })]);
      expect(tampered.chains.broken).toEqual([expect.objectContaining({ streamId: `case-${ids.dibao}`, reason: expect.stringContaining('altered') })]);
    });
  });
});
