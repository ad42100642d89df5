import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { idNumber } from '../support/national-ids';
import { expectStatus } from '../support/api-expect';

describe('findings and worker tasks through HTTP', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const ids: Record<string, string> = {};
  const sick = idNumber('1958-04-04', 41);
  const other = idNumber('1970-10-10', 43);

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const ok = expectStatus;
  const medical = (rows: [string, string, string, string, string][]) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/data-imports?source=medical_insurance',
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: ['id_number,name,settlement_id,settled_on,out_of_pocket', ...rows.map((r) => r.join(','))].join('\n'),
    });
  const vA = () => bearer(t.token('village_worker', ids.vA));
  const vB = () => bearer(t.token('village_worker', ids.vB));

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2026-03-02T02:00:00.000Z');
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
    ids.townWorker = await worker('镇社工丙', 'town', 33, { townId: ids.town });
    await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vA, from: '2025-01-01' }));
    await ok(call('PUT', `/api/v1/groups/${ids.g2}/responsible-worker`, { workerId: ids.vB, from: '2025-01-01' }));
    ids.h1 = (
      await ok(
        call('POST', '/api/v1/households', { groupId: ids.g1, members: [{ name: '陈大病', idNumber: sick, relation: 'head', labourCapacity: 'partial' }] }),
        201,
      )
    ).id;
    ids.h2 = (
      await ok(
        call('POST', '/api/v1/households', { groupId: ids.g2, members: [{ name: '刘二', idNumber: other, relation: 'head', labourCapacity: 'full' }] }),
        201,
      )
    ).id;
  });
  afterAll(async () => t?.close());

  describe('the illness threshold over 12 months', () => {
    it('raises nothing while out-of-pocket costs stay under ¥20,000', async () => {
      const r = await medical([
        [sick, '陈大病', 'M-1', '2025-04-01', '9000'],
        [sick, '陈大病', 'M-0', '2025-02-01', '40000'],
      ]);
      expect(r.json()).toMatchObject({ applied: 2, findingsRaised: 0 }); // M-0 is older than 12 months
    });
    it('raises a medium finding once a later batch takes the sum over ¥20,000', async () => {
      const r = await medical([[sick, '陈大病', 'M-2', '2026-02-01', '11000']]);
      expect(r.json()).toMatchObject({ findingsRaised: 1 });
      const findings = await ok(call('GET', '/api/v1/findings?cause=illness'));
      expect(findings.items).toHaveLength(1);
      expect(findings.items[0]).toMatchObject({ severity: 'medium', householdId: ids.h1, task: { deadline: '2026-03-17', assigneeId: ids.vA } });
      ids.finding = findings.items[0].id;
      ids.task = findings.items[0].taskId;
    });
    it('escalates the same finding (no second one) when the sum passes ¥50,000 within the window', async () => {
      t.clock.set('2026-03-05T02:00:00.000Z');
      const r = await medical([[sick, '陈大病', 'M-3', '2026-03-01', '31000']]);
      expect(r.json()).toMatchObject({ findingsRaised: 0, findingsEscalated: 1 });
      const finding = await ok(call('GET', `/api/v1/findings/${ids.finding}`));
      // high: 7 days from the escalation, tighter than the medium deadline
      expect(finding).toMatchObject({ severity: 'high', escalations: 1, task: { deadline: '2026-03-12', status: 'open' } });
    });
  });

  describe('task routing', () => {
    it('lists a village worker’s tasks in their groups only', async () => {
      await medical([[other, '刘二', 'N-1', '2026-03-01', '60000']]);
      const mine = await ok(call('GET', '/api/v1/tasks', undefined, vA()));
      expect(mine.items.map((task: any) => task.householdId)).toEqual([ids.h1]);
      const theirs = await ok(call('GET', `/api/v1/tasks?assignee=${ids.vB}`));
      expect(theirs.items.map((task: any) => task.householdId)).toEqual([ids.h2]);
    });
    it('moves open tasks with the group when it changes hands, computed on the day of the query', async () => {
      await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vB, from: '2026-03-05' }));
      const task = await ok(call('GET', `/api/v1/tasks/${ids.task}`));
      expect(task.assigneeId).toBe(ids.vB);
      expect((await ok(call('GET', `/api/v1/tasks?assignee=${ids.vB}`))).items).toHaveLength(2);
      expect((await ok(call('GET', '/api/v1/tasks', undefined, vA()))).items).toEqual([]);
    });
    it('moves a task with its household when the household moves to another group', async () => {
      const before = (await ok(call('GET', `/api/v1/tasks?assignee=${ids.vB}`))).items.find((task: any) => task.householdId === ids.h2);
      expect(before.groupId).toBe(ids.g2);
      await ok(call('POST', `/api/v1/households/${ids.h2}/move`, { toGroupId: ids.g1, on: '2026-03-05' }));
      expect((await ok(call('GET', `/api/v1/tasks/${before.id}`))).groupId).toBe(ids.g1);
    });
    it('lets the new assignee, not the previous one, record the outcome', async () => {
      const body = { outcome: 'referred', agency: '县医疗保障局', on: '2026-03-05' };
      expect((await call('POST', `/api/v1/tasks/${ids.task}/outcome`, body, vA())).statusCode).toBe(403);
      expect((await call('POST', `/api/v1/tasks/${ids.task}/outcome`, body, bearer(t.token('auditor')))).statusCode).toBe(403);
      const closed = await ok(call('POST', `/api/v1/tasks/${ids.task}/outcome`, body, vB()));
      expect(closed).toMatchObject({
        status: 'closed',
        assigneeId: ids.vB,
        outcome: { kind: 'referred', agency: '县医疗保障局', on: '2026-03-05', recordedBy: ids.vB },
      });
      const again = await call('POST', `/api/v1/tasks/${ids.task}/outcome`, { outcome: 'no_need', reason: '重复', on: '2026-03-05' }, vB());
      expect(again.statusCode).toBe(422);
      expect(again.json().rule).toBe('task.already_closed');
    });
    it('validates outcomes: an enrolment names an application that exists', async () => {
      const h2task = (await ok(call('GET', `/api/v1/tasks?assignee=${ids.vB}&status=open`))).items[0];
      const missing = await call('POST', `/api/v1/tasks/${h2task.id}/outcome`, { outcome: 'visited_enrolled', on: '2026-03-05' }, vB());
      expect(missing.statusCode).toBe(400);
      const unknown = await call(
        'POST',
        `/api/v1/tasks/${h2task.id}/outcome`,
        { outcome: 'visited_enrolled', applicationId: '00000000-0000-4000-8000-000000000999', on: '2026-03-05' },
        vB(),
      );
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json().rule).toBe('task.application_not_found');
    });
  });

  describe('overdue tasks', () => {
    it('lists open tasks past their deadline and counts them per worker, village and town', async () => {
      t.clock.set('2026-03-20T02:00:00.000Z');
      const overdue = await ok(call('GET', '/api/v1/tasks?overdue=true'));
      expect(overdue.items.map((task: any) => [task.householdId, task.overdue])).toEqual([[ids.h2, true]]);
      expect((await ok(call('GET', '/api/v1/tasks/overdue?by=worker'))).items).toEqual([{ key: ids.vB, overdue: 1, oldestDeadline: '2026-03-12' }]);
      expect((await ok(call('GET', '/api/v1/tasks/overdue?by=village'))).items).toEqual([{ key: ids.village, overdue: 1, oldestDeadline: '2026-03-12' }]);
      expect((await ok(call('GET', '/api/v1/tasks/overdue?by=town', undefined, bearer(t.token('town_worker', ids.townWorker))))).items).toEqual([
        { key: ids.town, overdue: 1, oldestDeadline: '2026-03-12' },
      ]);
    });
    it('lets a town worker supervising the town close a task', async () => {
      const task = (await ok(call('GET', '/api/v1/tasks?overdue=true'))).items[0];
      const closed = await ok(
        call(
          'POST',
          `/api/v1/tasks/${task.id}/outcome`,
          { outcome: 'no_need', reason: '已纳入低保', on: '2026-03-19' },
          bearer(t.token('town_worker', ids.townWorker)),
        ),
      );
      expect(closed).toMatchObject({ status: 'closed', overdue: false, outcome: { kind: 'no_need', reason: '已纳入低保' } });
      expect((await ok(call('GET', '/api/v1/tasks/overdue?by=worker'))).items).toEqual([]);
    });
  });

  describe('reporting', () => {
    it('counts findings per month, cause and outcome', async () => {
      const stats = await ok(call('GET', '/api/v1/findings/monthly?from=2026-01&to=2026-03'));
      expect(stats.items).toEqual([
        { month: '2026-03', cause: 'illness', outcome: 'no_need', count: 1 },
        { month: '2026-03', cause: 'illness', outcome: 'referred', count: 1 },
      ]);
    });
    it('masks ID numbers, names and reasons for evaluators', async () => {
      const seen = await ok(call('GET', `/api/v1/findings/${ids.finding}`, undefined, bearer(t.token('evaluator'))));
      expect(seen).toMatchObject({ personalDataMasked: true, name: '陈*病', reasons: [] });
      expect(JSON.stringify(seen)).not.toContain(sick);
    });
    it('records who read a finding’s reasons (health data) for the auditor, not who saw them masked', async () => {
      await ok(call('GET', `/api/v1/findings/${ids.finding}`, undefined, bearer(t.token('auditor', 'auditor-reader'))));
      const log = await ok(call('GET', '/api/v1/audit/personal-data-access?actor=auditor-reader', undefined, bearer(t.token('auditor'))));
      expect(log.items).toEqual([expect.objectContaining({ route: 'GET /findings/{id}', subjectId: ids.finding, classes: ['free_text'] })]);
      await ok(call('GET', `/api/v1/findings/${ids.finding}`, undefined, bearer(t.token('evaluator', 'evaluator-reader'))));
      expect((await ok(call('GET', '/api/v1/audit/personal-data-access?actor=evaluator-reader', undefined, bearer(t.token('auditor'))))).items).toEqual([]);
    });
    it('pages through findings with a cursor', async () => {
      const first = await ok(call('GET', '/api/v1/findings?limit=1'));
      expect(first.items).toHaveLength(1);
      const second = await ok(call('GET', `/api/v1/findings?limit=1&cursor=${first.nextCursor}`));
      expect(second.items).toHaveLength(1);
      expect(second.items[0].id).not.toBe(first.items[0].id);
      expect(second.nextCursor).toBeNull();
    });
  });

  describe('policy versions', () => {
    it('serves the seeded default and lets the bureau add a version', async () => {
      const policies = await ok(call('GET', '/api/v1/detection-policies'));
      expect(policies.items.map((p: any) => p.version)).toEqual([1]);
      const { version: _v, ...body } = policies.items[0];
      const added = await ok(
        call('POST', '/api/v1/detection-policies', { ...body, effectiveFrom: '2026-04-01', deadlineDays: { high: 5, medium: 10, low: 20 } }),
        201,
      );
      expect(added).toMatchObject({ version: 2, effectiveFrom: '2026-04-01' });
      expect((await call('POST', '/api/v1/detection-policies', body, bearer(t.token('county_worker')))).statusCode).toBe(403);
    });
  });
});
