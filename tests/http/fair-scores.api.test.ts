import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { idNumber } from '../support/national-ids';
import { policy2023Input } from '../domain/policy-fixtures';
import { chinaCalendar2023To2024 } from '../domain/working-days-fixtures';
import { expectStatus } from '../support/api-expect';

/**
 * Issue #19, finding 5: in 2023-H1 a worker with committee scores 95/96/90 and no recorded
 * tasks was rated 56.2 不合格, because task completion was "mentoring 0 of 181 days" for a worker
 * who was never in a 老带新 pair. A metric with nothing to measure is not applicable: its weight
 * goes to the others, and the score sheet says so.
 */
describe('fair scores: a metric with no applicable facts does not count against the worker', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let evaluator: Record<string, string>;
  const ids: Record<string, string> = {};
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const ok = expectStatus;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2022-12-01T02:00:00.000Z');
    admin = bearer(t.token('admin'));
    evaluator = bearer(t.token('evaluator', 'committee-1'));
    ids.town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    const worker = async (name: string, seq: number) =>
      (
        await ok(
          call('POST', '/api/v1/workers', {
            name,
            level: 'town',
            phone: '13900000000',
            idNumber: idNumber('1985-03-03', seq),
            hireDate: '2022-01-01',
            posting: { townId: ids.town },
          }),
          201,
        )
      ).id;
    ids.lone = await worker('镇社工甲', 41);
    ids.mentor = await worker('镇社工乙', 42);
    ids.mentee = await worker('镇社工丙', 43);
    // 乙 mentors 丙 for the whole half-year; 甲 is in no pair and has no groups, reviews or tasks.
    await ok(call('POST', '/api/v1/mentoring-pairs', { mentorId: ids.mentor, menteeId: ids.mentee, from: '2023-01-01' }), 201);

    // 政策找人: a village worker finds a household and applies on its behalf; the investigation finds its income too high.
    await ok(call('POST', '/api/v1/calendars', JSON.parse(JSON.stringify(chinaCalendar2023To2024))), 201);
    await ok(call('POST', '/api/v1/policies', policy2023Input), 201);
    const village = (await ok(call('POST', '/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' }), 201)).id;
    const group = (await ok(call('POST', '/api/v1/groups', { villageId: village, code: '530626100201001', name: '一组' }), 201)).id;
    ids.finder = (
      await ok(
        call('POST', '/api/v1/workers', {
          name: '村社工丁',
          level: 'village',
          phone: '13900000000',
          idNumber: idNumber('1985-03-03', 44),
          hireDate: '2022-01-01',
          posting: { villageId: village },
        }),
        201,
      )
    ).id;
    await ok(call('PUT', `/api/v1/groups/${group}/responsible-worker`, { workerId: ids.finder, from: '2022-01-01' }));
    t.clock.set('2023-03-01T02:00:00.000Z');
    const h = await ok(
      call('POST', '/api/v1/households', {
        groupId: group,
        members: [{ name: '张三', idNumber: idNumber('1970-01-01', 45), relation: 'head', labourCapacity: 'full' }],
      }),
      201,
    );
    const finder = bearer(t.token('village_worker', ids.finder));
    const c = await ok(
      call(
        'POST',
        '/api/v1/cases',
        { program: 'dibao', householdId: h.id, applicantPersonId: h.members[0].personId, channel: 'proactive', trigger: { kind: 'visit', id: 'v-1' } },
        finder,
      ),
      201,
    );
    await ok(call('POST', `/api/v1/cases/${c.id}/accept`, {}));
    const facts = {
      residence: 'rural',
      members: [{ personId: h.members[0].personId, birthDate: h.members[0].birthDate, labourCapacity: 'full' }],
      incomes: [{ source: 'wages', fenPerYear: 3_000_000 }],
      property: { financialAssetsFen: 0, vehicles: 0, housingUnits: 1 },
      incomeStability: 'stable',
    };
    await ok(call('POST', `/api/v1/cases/${c.id}/facts`, { facts }));
    t.clock.set('2023-03-02T02:00:00.000Z'); // steps are dated no later than the county's today
    await ok(
      call('POST', `/api/v1/cases/${c.id}/home-investigations`, { investigatorIds: [ids.finder, ids.lone], on: '2023-03-02', findings: '有稳定工资收入' }),
    );
    await ok(call('POST', `/api/v1/cases/${c.id}/notice`, { postedOn: '2023-03-02' }));
    t.clock.set('2023-03-15T02:00:00.000Z');
    await ok(call('POST', `/api/v1/cases/${c.id}/submit`, {}));
    await ok(call('POST', `/api/v1/cases/${c.id}/check`, { result: 'forward' }));
    expect((await ok(call('POST', `/api/v1/cases/${c.id}/decision`, {}))).status).toBe('denied');
    ids.proactiveCase = c.id;
    t.clock.set('2023-07-05T02:00:00.000Z');
    for (const [w, s] of [
      [ids.lone, [95, 96, 90]],
      [ids.mentor, [80, 80, 80]],
      [ids.mentee, [70, 70, 70]],
    ] as const) {
      await ok(
        call('POST', '/api/v1/assessments', { workerId: w, period: '2023-H1', scores: { discipline: s[0], attitude: s[1], knowledge: s[2] } }, evaluator),
        201,
      );
    }
  });
  afterAll(async () => t?.close());

  it('rates the 95/96/90 worker with no recorded tasks on the committee scores, not 56.2 不合格', async () => {
    const view = await ok(call('GET', `/api/v1/performance/${ids.lone}?period=2023-H1`, undefined, evaluator));
    const s = view.score;
    expect(s.total).not.toBe(5620);
    // (95 + 96 + 90) / 3 = 93.67: task completion has no applicable metric, its weight goes to the committee's dimensions.
    expect(s.total).toBe(9367);
    expect(s.rating).not.toBe('不合格');
    expect(s.dimensions.task_completion).toMatchObject({ score: null, applicable: false });
    expect(s.dimensions.discipline.effectiveWeightBp).toBe(3333);
    const mentoring = s.metrics.find((m: any) => m.key === 'mentoring');
    expect(mentoring).toMatchObject({ applicable: false, score: null, total: 0, notApplicable: { code: 'not_in_mentoring_pair' } });
    expect(mentoring.notApplicable.zh).toContain('老带新');
    expect(s.metrics.find((m: any) => m.key === 'tasks_on_time')).toMatchObject({ applicable: false });
    expect(s.metrics.find((m: any) => m.key === 'reviews_on_time')).toMatchObject({ applicable: false });
    // The sheet says so in words.
    expect(s.notes.map((n: any) => n.zh).join('\n')).toMatch(/工作任务完成情况.*不适用/);
  });

  it('still scores mentoring for workers in a pair, and shares its weight only among applicable metrics', async () => {
    const view = await ok(call('GET', `/api/v1/performance/${ids.mentor}?period=2023-H1`, undefined, evaluator));
    const mentoring = view.score.metrics.find((m: any) => m.key === 'mentoring');
    expect(mentoring).toMatchObject({ applicable: true, met: 181, total: 181, score: 10000, effectiveWeightBp: 10000 });
    expect(view.score.dimensions.task_completion).toMatchObject({ score: 10000, applicable: true });
  });

  it('a denied proactive application (政策找人) counts for the worker who found the household', async () => {
    const view = await ok(call('GET', `/api/v1/performance/${ids.finder}?period=2023-H1`, undefined, evaluator));
    const proactive = view.score.metrics.find((m: any) => m.key === 'submissions_approved');
    expect(proactive).toMatchObject({ applicable: true, met: 1, total: 1, score: 10000 });
    expect(proactive.evidence).toEqual([expect.objectContaining({ kind: 'proactive_application_denied', id: ids.proactiveCase, met: true })]);
  });

  it('the CSV marks not-applicable metrics as such rather than 0 of 0', async () => {
    const r = await call('GET', '/api/v1/performance.csv?period=2023-H1&lang=en', undefined, evaluator);
    expect(r.statusCode).toBe(200);
    const [header, ...rows] = r.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    const lone = rows.find((row) => row.includes(ids.lone!))!;
    expect(lone[header!.indexOf('mentoring_score')]).toBe('不适用');
    expect(lone[header!.indexOf('task_completion')]).toBe('不适用');
    expect(lone[header!.indexOf('total')]).toBe('93.67');
  });
});
