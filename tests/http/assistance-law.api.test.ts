import { randomUUID } from 'node:crypto';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommandContext } from '../../src/application/command-handler';
import { ForbiddenError, NotFoundError } from '../../src/application/errors';
import { caseStreamId } from '../../src/domain/assistance/case.events';
import { deterministicUuid } from '../../src/application/ids';
import { policy2023Input } from '../domain/policy-fixtures';
import { chinaCalendar2023To2024 } from '../domain/working-days-fixtures';
import { idNumber } from '../support/national-ids';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { eventually } from '../support/wait';
import { expectStatus, expectRuleRefusal } from '../support/api-expect';

/** Issue 19, findings 1–4, reproduced through the HTTP API as the county ran them. */
describe('assistance as the law runs it: paid once, dates in order, the authority confirms, one open case', () => {
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
  const refused = expectRuleRefusal;
  const at = (day: string) => t.clock.set(`${day}T02:00:00.000Z`);
  let seq = 100;
  const household = async (members: { name: string; birth: string; relation: string; labour: string }[]) => {
    const h = await ok(
      call('POST', '/api/v1/households', {
        groupId: ids.g1,
        incomeStability: 'unstable',
        members: members.map((m) => ({ name: m.name, idNumber: idNumber(m.birth, seq++), relation: m.relation, labourCapacity: m.labour })),
      }),
      201,
    );
    return { id: h.id as string, people: h.members.map((m: any) => ({ personId: m.personId as string, birthDate: m.birthDate as string })) };
  };
  /** The household's head applies, through the village worker. */
  const application = (h: { id: string; people: { personId: string }[] }, program: 'dibao' | 'temporary', channel: 'self' | 'emergency') =>
    call('POST', '/api/v1/cases', { program, householdId: h.id, applicantPersonId: h.people[0]!.personId, channel }, village);
  const dibaoFacts = (h: { people: any[] }) => ({
    residence: 'rural',
    members: h.people.map((p: any) => ({ personId: p.personId, birthDate: p.birthDate, labourCapacity: 'partial' })),
    incomes: [{ source: 'farming', fenPerYear: 300_000 }],
    property: { financialAssetsFen: 0, vehicles: 0, housingUnits: 1 },
    incomeStability: 'unstable',
  });
  /** A 低保 case from application to a posted notice, all on `day`. */
  const dibaoToNotice = async (day: string) => {
    at(day);
    const h = await household([{ name: '刘一', birth: '1965-01-01', relation: 'head', labour: 'partial' }]);
    const c = await ok(application(h, 'dibao', 'self'), 201);
    await ok(call('POST', `/api/v1/cases/${c.id}/accept`, {}, townGov));
    await ok(call('POST', `/api/v1/cases/${c.id}/facts`, { facts: dibaoFacts(h) }, village));
    await ok(call('POST', `/api/v1/cases/${c.id}/home-investigations`, { investigatorIds: [ids.townW, ids.vA], on: day, findings: '' }, town));
    await ok(call('POST', `/api/v1/cases/${c.id}/notice`, { postedOn: day }, town));
    return { caseId: c.id as string, household: h };
  };

  beforeAll(async () => {
    t = await startTestApp();
    at('2023-05-02');
    admin = bearer(t.token('admin'));
    await ok(call('POST', '/api/v1/calendars', JSON.parse(JSON.stringify(chinaCalendar2023To2024))), 201);
    await ok(call('POST', '/api/v1/policies', policy2023Input), 201);
    ids.town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    ids.town2 = (await ok(call('POST', '/api/v1/towns', { code: '530626101', name: '板栗镇' }), 201)).id;
    ids.village = (await ok(call('POST', '/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' }), 201)).id;
    ids.g1 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201001', name: '一组' }), 201)).id;
    const worker = async (name: string, level: string, n: number, posting?: object) =>
      (
        await ok(
          call('POST', '/api/v1/workers', {
            name,
            level,
            phone: '13900000000',
            idNumber: idNumber('1985-03-03', n),
            hireDate: '2023-01-01',
            ...(posting ? { posting } : {}),
          }),
          201,
        )
      ).id;
    ids.county = await worker('县社工', 'county', 41);
    ids.townW = await worker('镇社工', 'town', 42, { townId: ids.town });
    ids.vA = await worker('村社工', 'village', 43, { villageId: ids.village });
    await ok(call('POST', `/api/v1/workers/${ids.county}/town-links`, { townId: ids.town, from: '2023-01-01' }));
    await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vA, from: '2023-01-01' }));
    county = bearer(t.token('county_worker', ids.county));
    town = bearer(t.token('town_worker', ids.townW));
    village = bearer(t.token('village_worker', ids.vA));
    ids.officer = (await ok(call('POST', '/api/v1/officials', { name: '县民政局审核员', role: 'civil_affairs_officer', from: '2023-01-01' }), 201)).id;
    ids.townGov = (await ok(call('POST', '/api/v1/officials', { name: '中城镇民政办', role: 'town_official', townId: ids.town, from: '2023-01-01' }), 201)).id;
    ids.town2Gov = (
      await ok(call('POST', '/api/v1/officials', { name: '板栗镇民政办', role: 'town_official', townId: ids.town2, from: '2023-01-01' }), 201)
    ).id;
    officer = bearer(t.token('civil_affairs_officer', ids.officer));
    townGov = bearer(t.token('town_official', ids.townGov));
  });
  afterAll(async () => t?.close());

  describe('finding 1: a completed emergency grant is paid once', () => {
    it('refuses the review of a closed case and a second payment; read model and fold agree; totals count it once', async () => {
      at('2023-06-08');
      const h = await household([{ name: '赵火', birth: '1960-01-01', relation: 'head', labour: 'partial' }]);
      const c = await ok(application(h, 'temporary', 'emergency'), 201);
      ids.fire = c.id;
      await ok(
        call(
          'POST',
          `/api/v1/cases/${c.id}/emergency-grant`,
          { facts: { cause: 'fire', description: '房屋失火', occurredOn: '2023-06-08', requestedFen: 200_000, emergency: true } },
          townGov,
        ),
      );
      const paid = await ok(call('POST', `/api/v1/cases/${c.id}/payments`, { paidOn: '2023-06-08' }, townGov));
      expect(paid.paidFen).toBe(200_000);
      at('2023-06-12');
      await ok(
        call('POST', `/api/v1/cases/${c.id}/home-investigations`, { investigatorIds: [ids.townW, ids.vA], on: '2023-06-12', findings: '火灾属实' }, town),
      );
      const done = await ok(call('POST', `/api/v1/cases/${c.id}/emergency-completion`, {}, townGov));
      expect(done.status).toBe('closed');
      // The decider's fold says the same as the read model.
      const history = await ok(call('GET', `/api/v1/cases/${c.id}/history`));
      expect(history.status).toBe('closed');

      // What the county did: a review of the completed case. No longer a second ¥2,000.
      expect((await call('POST', `/api/v1/cases/${c.id}/review`, {}, county)).statusCode).toBe(403);
      await refused(call('POST', `/api/v1/cases/${c.id}/review`, {}, townGov), 'case.wrong_state');
      await refused(call('POST', `/api/v1/cases/${c.id}/payments`, { paidOn: '2023-06-12' }, townGov), 'payment.already_paid');
      expect((await ok(call('GET', `/api/v1/cases/${c.id}/payments`))).items).toEqual([
        expect.objectContaining({ kind: 'one_off', fen: 200_000, paidOn: '2023-06-08' }),
      ]);
      const counts = await ok(call('GET', '/api/v1/assistance/monthly?from=2023-06&to=2023-06'));
      expect(counts.items.filter((i: any) => i.program === 'temporary').reduce((a: number, i: any) => a + i.oneOffFen, 0)).toBe(200_000);
    });

    it('pays a monthly amount once per month, only for decided months, never above the amount', async () => {
      const { caseId } = await dibaoToNotice('2023-06-01');
      at('2023-06-12');
      await ok(call('POST', `/api/v1/cases/${caseId}/submit`, {}, town));
      await ok(call('POST', `/api/v1/cases/${caseId}/check`, { result: 'forward' }, county));
      const decided = await ok(call('POST', `/api/v1/cases/${caseId}/decision`, {}, officer));
      ids.monthly = caseId;
      const monthly = decided.paymentInForce.monthlyFen as number;
      expect(decided.paymentInForce.from).toBe('2023-07-01');
      at('2023-07-05');
      await refused(call('POST', `/api/v1/cases/${caseId}/payments`, { month: '2023-06' }, officer), 'payment.not_decided');
      await refused(call('POST', `/api/v1/cases/${caseId}/payments`, { month: '2023-08' }, officer), 'payment.month_not_due');
      await refused(call('POST', `/api/v1/cases/${caseId}/payments`, { month: '2023-07', fen: monthly + 1 }, officer), 'payment.above_decided');
      expect((await ok(call('POST', `/api/v1/cases/${caseId}/payments`, { month: '2023-07' }, officer))).paidFen).toBe(monthly);
      await refused(call('POST', `/api/v1/cases/${caseId}/payments`, { month: '2023-07' }, officer), 'payment.already_paid');
      // Workers prepare; money goes out under the authority.
      expect((await call('POST', `/api/v1/cases/${caseId}/payments`, { month: '2023-07' }, town)).statusCode).toBe(403);
    });

    it('replay re-checks payments against decisions and reports an excess payment as a mismatch', async () => {
      const auditor = bearer(t.token('auditor'));
      const clean = await eventually(async () => {
        const r = await ok(call('POST', '/api/v1/audit/replay', { from: '2023-01-01', to: '2023-12-31' }, auditor));
        expect(r.paymentsChecked).toBe(2);
        return r;
      });
      expect(clean).toMatchObject({ ok: true, mismatches: [] });
      // A second payment of the fire grant written past the decider (as the old bug did).
      const store = t.service.deps.store;
      const version = await store.streamVersion(`case-${ids.fire}`);
      await store.append(
        `case-${ids.fire}`,
        [
          {
            eventId: deterministicUuid('forged-payment'),
            type: 'PaymentRecorded',
            data: {
              caseId: ids.fire,
              paymentId: deterministicUuid('forged-payment-id'),
              kind: 'one_off',
              month: null,
              fen: 200_000,
              paidOn: '2023-06-20',
              migrated: null,
              recordedAt: '2023-06-20T02:00:00.000Z',
            },
            metadata: {
              actorId: 'x',
              actorRole: 'admin',
              commandId: deterministicUuid('forged'),
              correlationId: 'forged',
              causationId: null,
              recordedAt: '2023-06-20T02:00:00.000Z',
              schemaVersion: 1,
            },
          },
        ],
        version,
      );
      const r = await eventually(async () => {
        const replay = await ok(call('POST', '/api/v1/audit/replay', { from: '2023-01-01', to: '2023-12-31' }, auditor));
        expect(replay.ok).toBe(false);
        return replay;
      });
      expect(r.mismatches).toEqual([expect.objectContaining({ caseId: ids.fire, reason: expect.stringContaining('payment excess') })]);
    });
  });

  describe('finding 2: the statutory clock takes only dates that follow each other', () => {
    it('refuses future, out-of-order and absurd dates', async () => {
      at('2023-08-01');
      const h = await household([{ name: '陈二', birth: '1966-01-01', relation: 'head', labour: 'partial' }]);
      const apply = (appliedOn: string) =>
        call('POST', '/api/v1/cases', { program: 'dibao', householdId: h.id, applicantPersonId: h.people[0].personId, channel: 'self', appliedOn }, village);
      await refused(apply('9999-12-31'), 'case.date_in_future');
      await refused(apply('1900-01-01'), 'case.date_too_old');
      const c = await ok(apply('2023-07-31'), 201);
      // acceptedOn 30 days ahead moved the review deadline to the future; now refused.
      await refused(call('POST', `/api/v1/cases/${c.id}/accept`, { acceptedOn: '2023-08-31' }, townGov), 'case.date_in_future');
      const before = await refused(call('POST', `/api/v1/cases/${c.id}/accept`, { acceptedOn: '2023-07-30' }, townGov), 'case.date_before_previous_step');
      expect(before.detail).toContain('早于申请日期');
      await ok(call('POST', `/api/v1/cases/${c.id}/accept`, { acceptedOn: '2023-08-01' }, townGov));
      await refused(
        call('POST', `/api/v1/cases/${c.id}/home-investigations`, { investigatorIds: [ids.townW, ids.vA], on: '2023-07-31', findings: '' }, town),
        'case.date_before_previous_step',
      );
      await ok(call('POST', `/api/v1/cases/${c.id}/facts`, { facts: dibaoFacts(h) }, village));
      await ok(call('POST', `/api/v1/cases/${c.id}/home-investigations`, { investigatorIds: [ids.townW, ids.vA], on: '2023-08-01', findings: '' }, town));
      at('2023-08-03');
      await ok(call('POST', `/api/v1/cases/${c.id}/notice`, { postedOn: '2023-08-02' }, town));
      // An objection dated before the notice was posted.
      await refused(call('POST', `/api/v1/cases/${c.id}/objections`, { on: '2023-08-01', summary: '反映' }, town), 'case.date_before_previous_step');
    });

    it('refuses a refusal notice dated before the decision', async () => {
      at('2023-09-01');
      const h = await household([{ name: '富三', birth: '1970-01-01', relation: 'head', labour: 'full' }]);
      const c = await ok(application(h, 'dibao', 'self'), 201);
      await ok(call('POST', `/api/v1/cases/${c.id}/accept`, {}, townGov));
      await ok(call('POST', `/api/v1/cases/${c.id}/facts`, { facts: { ...dibaoFacts(h), incomes: [{ source: 'wages', fenPerYear: 9_000_000 }] } }, village));
      await ok(call('POST', `/api/v1/cases/${c.id}/home-investigations`, { investigatorIds: [ids.townW, ids.vA], on: '2023-09-01', findings: '' }, town));
      await ok(call('POST', `/api/v1/cases/${c.id}/notice`, { postedOn: '2023-09-01' }, town));
      at('2023-09-11');
      await ok(call('POST', `/api/v1/cases/${c.id}/submit`, {}, town));
      await ok(call('POST', `/api/v1/cases/${c.id}/check`, { result: 'forward' }, county));
      expect((await ok(call('POST', `/api/v1/cases/${c.id}/decision`, {}, officer))).status).toBe('denied');
      await refused(call('POST', `/api/v1/cases/${c.id}/refusal-notice`, { on: '2023-09-10' }, town), 'case.date_before_previous_step');
      await ok(call('POST', `/api/v1/cases/${c.id}/refusal-notice`, { on: '2023-09-11' }, town));
    });
  });

  describe('finding 3: the authority the law names confirms; workers prepare, check and submit', () => {
    it('keeps social workers from confirming, lets the county worker return a submission with reasons, and follows a delegation in policy data', async () => {
      const { caseId } = await dibaoToNotice('2023-10-09');
      at('2023-10-17');
      expect((await call('POST', `/api/v1/cases/${caseId}/submit`, {}, village)).statusCode).toBe(403);
      await ok(call('POST', `/api/v1/cases/${caseId}/submit`, {}, town));
      expect((await call('POST', `/api/v1/cases/${caseId}/check`, { result: 'forward' }, town)).statusCode).toBe(403);
      expect((await call('POST', `/api/v1/cases/${caseId}/check`, { result: 'return' }, county)).statusCode).toBe(400);
      const returned = await ok(call('POST', `/api/v1/cases/${caseId}/check`, { result: 'return', reasons: '缺少邻里访问记录' }, county));
      // Reasons are free text (they may quote illness): masked for the county worker as every free
      // text is, read in full by the town worker who has to act on them.
      expect(returned).toMatchObject({ status: 'returned', lastReturn: { on: '2023-10-17', reasons: '***' } });
      expect(await ok(call('GET', `/api/v1/cases/${caseId}`, undefined, town))).toMatchObject({
        status: 'returned',
        lastReturn: { on: '2023-10-17', reasons: '缺少邻里访问记录' },
      });
      await refused(call('POST', `/api/v1/cases/${caseId}/decision`, {}, officer), 'case.wrong_state');
      await ok(call('POST', `/api/v1/cases/${caseId}/neighbour-interviews`, { on: '2023-10-17', interviewee: '邻居', summary: '属实' }, village));
      await ok(call('POST', `/api/v1/cases/${caseId}/submit`, {}, town));
      await ok(call('POST', `/api/v1/cases/${caseId}/check`, { result: 'forward' }, county));
      for (const role of ['county_worker', 'town_worker', 'village_worker', 'auditor', 'evaluator'] as const) {
        expect((await call('POST', `/api/v1/cases/${caseId}/decision`, {}, bearer(t.token(role, ids.county)))).statusCode, role).toBe(403);
      }
      // The town government may not confirm 低保 under the default policy, nor act in another town.
      await refused(call('POST', `/api/v1/cases/${caseId}/decision`, {}, townGov), 'case.confirmation_authority');
      expect((await call('POST', `/api/v1/cases/${caseId}/decision`, {}, bearer(t.token('town_official', ids.town2Gov)))).statusCode).toBe(403);
      // A token for an officer nobody appointed has no jurisdiction.
      expect(
        (await call('POST', `/api/v1/cases/${caseId}/decision`, {}, bearer(t.token('civil_affairs_officer', deterministicUuid('nobody'))))).statusCode,
      ).toBe(403);

      // The province delegates 低保 up to ¥800 a month to the town government from 2023-10-01.
      const policies = await ok(call('GET', '/api/v1/case-procedure-policies'));
      const current = policies.items.at(-1);
      const { version: _v, ...rest } = current;
      await ok(
        call('POST', '/api/v1/case-procedure-policies', {
          ...rest,
          effectiveFrom: '2023-10-01',
          confirmation: [...rest.confirmation, { program: 'dibao', authority: 'town_official', maxOneOffFen: null, maxMonthlyFen: 80_000 }],
        }),
        201,
      );
      const decided = await ok(call('POST', `/api/v1/cases/${caseId}/decision`, {}, townGov));
      expect(decided.status).toBe('granted');
      const decision = (await ok(call('GET', `/api/v1/decisions?case=${caseId}`))).items[0];
      expect(decision.decidedBy).toEqual({ actorId: ids.townGov, role: 'town_official' });
    });
  });

  describe('finding 4: one open case per household and program; a notice after an objection needs a new investigation', () => {
    it('refuses a second open 低保 case for the household', async () => {
      const { household: h } = await dibaoToNotice('2023-11-01');
      await refused(application(h, 'dibao', 'self'), 'case.open_case_exists');
      // Two applications racing: one wins, the other is told why (never a 500).
      const h2 = await household([{ name: '并发', birth: '1962-02-02', relation: 'head', labour: 'partial' }]);
      const race = await Promise.all([0, 1].map(() => application(h2, 'dibao', 'self')));
      expect(race.map((r) => r.statusCode).sort()).toEqual([201, 422]);
      expect(race.find((r) => r.statusCode === 422)!.json().rule).toBe('case.open_case_exists');
      // Another program for the same household is a different case.
      await ok(application(h, 'temporary', 'self'), 201);
    });

    it('refuses a new notice after an objection until the case is investigated again', async () => {
      const { caseId } = await dibaoToNotice('2023-11-06');
      at('2023-11-08');
      await ok(call('POST', `/api/v1/cases/${caseId}/objections`, { on: '2023-11-08', summary: '反映有经营收入' }, town));
      await refused(call('POST', `/api/v1/cases/${caseId}/notice`, { postedOn: '2023-11-08' }, town), 'case.reinvestigation_required');
      await ok(call('POST', `/api/v1/cases/${caseId}/data-checks`, { source: 'market_regulation', checkedOn: '2023-11-08', result: '无工商登记' }, town));
      expect((await ok(call('POST', `/api/v1/cases/${caseId}/notice`, { postedOn: '2023-11-08' }, town))).status).toBe('in_notice');
    });
  });

  describe('Prefer: return=minimal (RFC 7240): a step answers 204 with the new ETag and reads nothing back', () => {
    const minimal = (headers: Record<string, string>) => ({ ...headers, prefer: 'return=minimal' });
    /** A step sent with return=minimal: 204, no body, the preference applied; its ETag's version. */
    const quietly = async (caseId: string, step: string, payload: object, headers: Record<string, string>, extra: Record<string, string> = {}) => {
      const r = await call('POST', `/api/v1/cases/${caseId}/${step}`, payload, { ...minimal(headers), ...extra });
      expect(r.statusCode, `${step}: ${r.body}`).toBe(204);
      expect(r.body).toBe('');
      expect(r.headers['preference-applied']).toBe('return=minimal');
      expect(r.headers.etag).toMatch(/^"\d+"$/);
      return { version: Number(String(r.headers.etag).replaceAll('"', '')), replayed: r.headers['idempotent-replayed'] };
    };
    /** The case's events without what names the case, its household, its people and the command (at any depth). */
    const shape = async (caseId: string) => {
      const NAMING = new Set(['caseId', 'householdId', 'applicantPersonId', 'personId', 'investigationId', 'noticeId']);
      const unnamed = (value: unknown): unknown =>
        Array.isArray(value)
          ? value.map(unnamed)
          : value !== null && typeof value === 'object'
            ? Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (NAMING.has(k) ? [] : [[k, unnamed(v)]])))
            : value;
      return (await t.service.deps.store.readStream(caseStreamId(caseId))).map((e) => ({ type: e.type, data: unnamed(e.data) }));
    };

    it('records the same events as the full answer, each step one version on, and reads the case back only when asked', async () => {
      const day = '2023-12-04';
      const full = await dibaoToNotice(day);
      at(day);
      const h = await household([{ name: '刘二', birth: '1965-01-01', relation: 'head', labour: 'partial' }]);
      const c = await ok(application(h, 'dibao', 'self'), 201);
      const reads = vi.spyOn(t.service.services.cases, 'get');
      const versions = [
        (await quietly(c.id, 'accept', {}, townGov)).version,
        (await quietly(c.id, 'facts', { facts: dibaoFacts(h) }, village)).version,
        (await quietly(c.id, 'home-investigations', { investigatorIds: [ids.townW, ids.vA], on: day, findings: '' }, town)).version,
        (await quietly(c.id, 'notice', { postedOn: day }, town)).version,
      ];
      expect(versions).toEqual([2, 3, 4, 5]);
      expect(await shape(c.id)).toEqual(await shape(full.caseId));
      // The steps read nothing back (nor log a read of personal data); the ETag is the version the case now has.
      expect(reads).not.toHaveBeenCalled();
      const read = await call('GET', `/api/v1/cases/${c.id}`, undefined, town);
      expect(read.statusCode).toBe(200);
      expect(read.headers.etag).toBe('"5"');
      expect(read.json()).toMatchObject({ status: 'in_notice', version: 5 });

      // 报送 and 审核把关 the same way, after the notice period.
      at('2023-12-12');
      expect((await quietly(c.id, 'submit', {}, town)).version).toBe(6);
      expect((await quietly(c.id, 'check', { result: 'return', reasons: '缺少邻里访问记录' }, county)).version).toBe(7);
      expect(reads).toHaveBeenCalledTimes(1); // the GET above
      expect((await ok(call('GET', `/api/v1/cases/${c.id}`, undefined, town))).status).toBe('returned');
      // Without the preference, a step reads the case back to answer it.
      await ok(call('POST', `/api/v1/cases/${c.id}/neighbour-interviews`, { on: '2023-12-12', interviewee: '邻居', summary: '属实' }, village));
      expect(reads).toHaveBeenCalledTimes(3);
      reads.mockRestore();
    });

    it('answers a payment 204 with its ETag, replays it under the same Idempotency-Key, and refuses a second one as before', async () => {
      at('2023-12-05');
      const h = await household([{ name: '赵三', birth: '1961-03-03', relation: 'head', labour: 'partial' }]);
      const c = await ok(application(h, 'temporary', 'emergency'), 201);
      const granted = await quietly(
        c.id,
        'emergency-grant',
        { facts: { cause: 'fire', description: '房屋失火', occurredOn: '2023-12-05', requestedFen: 150_000, emergency: true } },
        townGov,
      );
      const key = { 'idempotency-key': `pay-${c.id}` };
      const paid = await quietly(c.id, 'payments', { paidOn: '2023-12-05' }, townGov, key);
      expect(paid.version).toBe(granted.version + 1);
      const again = await quietly(c.id, 'payments', { paidOn: '2023-12-05' }, townGov, key);
      expect(again).toEqual({ version: paid.version, replayed: 'true' });
      expect((await ok(call('GET', `/api/v1/cases/${c.id}/payments`, undefined, townGov))).items).toHaveLength(1);
      // A refusal is a problem as always, whatever the preference.
      const twice = await call('POST', `/api/v1/cases/${c.id}/payments`, { paidOn: '2023-12-05' }, minimal(townGov));
      expect(twice.statusCode).toBe(422);
      expect(twice.headers['content-type']).toContain('application/problem+json');
      // Without the preference, the step answers the case as it now stands.
      expect((await ok(call('GET', `/api/v1/cases/${c.id}`, undefined, townGov))).paidFen).toBe(150_000);
    });

    it('reads the preference among others and in any case, and ignores other return preferences', async () => {
      at('2023-12-06');
      const h = await household([{ name: '钱四', birth: '1962-04-04', relation: 'head', labour: 'partial' }]);
      const c = await ok(application(h, 'dibao', 'self'), 201);
      const accepted = await call('POST', `/api/v1/cases/${c.id}/accept`, {}, { ...townGov, prefer: 'respond-async, Return=Minimal' });
      expect(accepted.statusCode).toBe(204);
      const represented = await call('POST', `/api/v1/cases/${c.id}/facts`, { facts: dibaoFacts(h) }, { ...village, prefer: 'return=representation' });
      expect(represented.statusCode).toBe(200);
      expect(represented.headers['preference-applied']).toBeUndefined();
      expect(represented.json()).toMatchObject({ id: c.id, version: 3 });
      expect(represented.headers.etag).toBe('"3"');
    });
  });

  describe("a step checks the case's area on the fold it decides on, without a read of the case's row", () => {
    it('records a step with no read of the read models, and refuses another town and an unknown case with nothing written', async () => {
      at('2023-12-07');
      const h = await household([{ name: '孙五', birth: '1961-05-05', relation: 'head', labour: 'partial' }]);
      const c = await ok(application(h, 'dibao', 'self'), 201);
      await ok(call('POST', `/api/v1/cases/${c.id}/accept`, {}, townGov));
      const other = (
        await ok(
          call('POST', '/api/v1/workers', {
            name: '板栗镇社工',
            level: 'town',
            phone: '13900000000',
            idNumber: idNumber('1985-03-03', 44),
            hireDate: '2023-01-01',
            posting: { townId: ids.town2 },
          }),
          201,
        )
      ).id as string;
      // The app's case service with its read-model reads counted (the log, the policies and the
      // jurisdictions are read through their own connections).
      let reads = 0;
      const counter: KyselyPlugin = { transformQuery: (args) => args.node, transformResult: async (args) => ((reads += 1), args.result) };
      const cases = t.service.services.cases;
      const counted: typeof cases = Object.assign(Object.create(Object.getPrototypeOf(cases) as object) as object, cases, {
        db: t.database.db.withPlugin(counter),
      }) as typeof cases;
      const context = (id: string, role: 'village_worker' | 'town_worker'): CommandContext => ({
        actor: { id, role },
        commandId: randomUUID(),
        correlationId: 'area-on-fold',
        now: t.clock.now(),
      });
      const interview = { on: '2023-12-07', interviewee: '邻居', summary: '属实' };
      const version = async (caseId: string) => t.service.deps.store.streamVersion(caseStreamId(caseId));

      expect(await counted.recordInterview(context(ids.vA!, 'village_worker'), c.id, interview)).toEqual({ version: 3 });
      expect(reads).toBe(0);
      await expect(counted.recordInterview(context(other, 'town_worker'), c.id, interview)).rejects.toBeInstanceOf(ForbiddenError);
      const unknown = randomUUID();
      await expect(counted.recordInterview(context(ids.vA!, 'village_worker'), unknown, interview)).rejects.toBeInstanceOf(NotFoundError);
      expect(reads).toBe(0);
      expect([await version(c.id), await version(unknown)]).toEqual([3, 0]);

      // The same answers through HTTP: 403 and 404 as problem documents, nothing written.
      const foreign = await call('POST', `/api/v1/cases/${c.id}/neighbour-interviews`, interview, bearer(t.token('town_worker', other)));
      expect(foreign.statusCode).toBe(403);
      expect(foreign.headers['content-type']).toMatch(/application\/problem\+json/);
      const missing = await call('POST', `/api/v1/cases/${unknown}/submit`, {}, town);
      expect(missing.statusCode).toBe(404);
      expect([await version(c.id), await version(unknown)]).toEqual([3, 0]);
    });
  });
});
