import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { idNumber } from '../support/national-ids';
import { expectStatus } from '../support/api-expect';

describe('worker performance through HTTP', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let evaluator: Record<string, string>;
  const ids: Record<string, string> = {};
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const ok = expectStatus;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2025-01-02T02:00:00.000Z');
    admin = bearer(t.token('admin'));
    evaluator = bearer(t.token('evaluator', 'committee-1'));
    ids.town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    ids.village = (await ok(call('POST', '/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' }), 201)).id;
    ids.g1 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201001', name: '一组' }), 201)).id;
    const worker = async (name: string, seq: number) =>
      (
        await ok(
          call('POST', '/api/v1/workers', {
            name,
            level: 'village',
            phone: '13900000000',
            idNumber: idNumber('1985-03-03', seq),
            hireDate: '2025-01-01',
            posting: { villageId: ids.village },
          }),
          201,
        )
      ).id;
    ids.a = await worker('村社工甲', 31);
    ids.b = await worker('村社工乙', 32);
    await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.a, from: '2025-01-01' }));
    // 甲 visits the group in July and August 2025; nothing after.
    for (const date of ['2025-07-10', '2025-08-12']) {
      t.clock.set(`${date}T04:00:00.000Z`);
      await ok(call('POST', '/api/v1/visits', { groupId: ids.g1, date, kind: 'routine' }, bearer(t.token('village_worker', ids.a))), 201);
    }
    t.clock.set('2026-01-10T02:00:00.000Z');
  });
  afterAll(async () => t?.close());

  it('seeds the default scoring policy as version 1', async () => {
    const body = await ok(call('GET', '/api/v1/scoring-policies'));
    expect(body.items[0]).toMatchObject({ version: 1, ratings: { excellent: 90, qualified: 60 } });
  });

  it('only the evaluation committee records assessments', async () => {
    const body = { workerId: ids.a, period: '2025-H2', scores: { discipline: 90, attitude: 90, knowledge: 80 }, comments: { discipline: '按时到岗' } };
    expect((await call('POST', '/api/v1/assessments', body)).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/assessments', body, bearer(t.token('village_worker', ids.a)))).statusCode).toBe(403);
    await ok(call('POST', '/api/v1/assessments', body, evaluator), 201);
    expect((await call('POST', '/api/v1/assessments', body, evaluator)).statusCode).toBe(422); // correction needs a reason
    // A period that has not begun cannot be scored (dates no later than the county's today).
    expect((await call('POST', '/api/v1/assessments', { ...body, period: '2026-H2' }, evaluator)).json().rule).toBe('assessment.period_not_started');
    const corrected = await ok(
      call('POST', '/api/v1/assessments', { ...body, scores: { ...body.scores, knowledge: 85 }, correctionReason: '录入错误' }, evaluator),
      201,
    );
    expect(corrected.assessments.map((a: any) => [a.revision, a.scores.knowledge])).toEqual([
      [1, 80],
      [2, 85],
    ]);
    await ok(call('POST', '/api/v1/assessments/outcomes', { workerId: ids.a, period: '2025-H2', outcome: 'commendation' }, evaluator), 201);
  });

  it('scores a worker from visits due vs done, with the explanation', async () => {
    const view = await ok(call('GET', `/api/v1/performance/${ids.a}?period=2025-H2`, undefined, evaluator));
    expect(view.source).toBe('live');
    const visits = view.score.metrics.find((m: any) => m.key === 'visits_done');
    expect(visits).toMatchObject({ met: 2, total: 6 });
    expect(visits.evidence.filter((e: any) => e.met).map((e: any) => e.date)).toEqual(['2025-07', '2025-08']);
    expect(view.score.dimensions.knowledge.score).toBe(8500);
    expect(view.score.rank).toEqual({ town: 1, county: 1 });
    expect(view.outcomes.map((o: any) => o.outcome)).toEqual(['commendation']);
    const list = await ok(call('GET', `/api/v1/performance?period=2025-H2&town=${ids.town}`, undefined, evaluator));
    expect(list.items.map((s: any) => s.workerId)).toEqual([ids.a, ids.b]);
    expect(list.items[1].status).toBe('awaiting_assessment');
  });

  it('exports CSV with a BOM and Chinese names', async () => {
    const r = await call('GET', '/api/v1/performance.csv?period=2025-H2', undefined, evaluator);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    expect(r.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(r.body).toContain('村社工甲');
    const [header, ...rows] = parse(r.body.replace(/^\uFEFF/, ''));
    expect(header!.slice(0, 6)).toEqual(['考核期', '考核办法版本', '全县排名', '乡镇排名', '社工编号', '姓名']);
    expect(rows.map((row) => row[5])).toContain('村社工甲');
    const english = await call('GET', '/api/v1/performance.csv?period=2025-H2&lang=en', undefined, evaluator);
    const [enHeader, ...enRows] = parse(english.body.replace(/^\uFEFF/, ''));
    expect(enHeader!.slice(0, 6)).toEqual(['period', 'policy_version', 'county_rank', 'town_rank', 'worker_id', 'name']);
    expect(enHeader).toHaveLength(header!.length);
    // Codes are written as the vocabulary's label in the language of the export.
    const labelled = ['level', 'status', 'rating', 'rating_capped'].map((key) => enHeader!.indexOf(key));
    const level = labelled[0]!;
    expect(new Set(rows.map((row) => row[level]))).toEqual(new Set(['村级']));
    expect(new Set(enRows.map((row) => row[level]))).toEqual(new Set(['village']));
    expect(rows.flatMap((row) => labelled.map((i) => row[i]))).not.toContain('rated');
    expect(rows.map((row) => row[labelled[3]!])).toContain('否');
    expect(enRows.map((row) => row[labelled[3]!])).toContain('no');
    const unlabelled = (row: string[]) => row.filter((_, i) => !labelled.includes(i));
    expect(enRows.map(unlabelled)).toEqual(rows.map(unlabelled));
  });

  it('rebuilding the projections gives identical scores', async () => {
    const before = (await ok(call('GET', '/api/v1/performance?period=2025-H2', undefined, evaluator))).items;
    for (const name of ['workforce', 'households', 'visits', 'performance']) await t.service.deps.projections.rebuild(name);
    const after = (await ok(call('GET', '/api/v1/performance?period=2025-H2', undefined, evaluator))).items;
    expect(after).toEqual(before);
  });

  it('published scores of a closed period do not move with a new policy until re-published', async () => {
    const published = await ok(call('POST', '/api/v1/performance/publish', { period: '2025-H2' }, evaluator), 201);
    expect(published).toMatchObject({ source: 'published', policyVersion: 1, publication: { revision: 1 } });
    const policy = (await ok(call('GET', '/api/v1/scoring-policies'))).items[0];
    const { version: _v, ...next } = policy;
    await ok(
      call('POST', '/api/v1/scoring-policies', {
        ...next,
        effectiveFrom: '2025-12-01',
        dimensions: { discipline: 0, attitude: 0, knowledge: 0, task_completion: 1 },
      }),
      201,
    );
    const again = await ok(call('GET', '/api/v1/performance?period=2025-H2', undefined, evaluator));
    // The sheet leaves out each worker's written notes (they stay on the one-worker view).
    expect(again.items).toEqual(published.items.map(({ notes: _notes, ...row }: { notes?: unknown }) => row));
    const republished = await ok(call('POST', '/api/v1/performance/publish', { period: '2025-H2' }, evaluator), 201);
    expect(republished).toMatchObject({ policyVersion: 2, publication: { revision: 2 } });
    expect((await call('POST', '/api/v1/performance/publish', { period: '2026-H1' }, evaluator)).statusCode).toBe(422);
  });

  it('pages a published period’s evidence from the publication: frozen against new facts until re-published', async () => {
    const drill = `/api/v1/performance/2025-H2/workers/${ids.a}/metrics/visits_done/evidence`;
    const pagesOf = async () => {
      const items: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page: { source: string; total: number; items: unknown[]; nextCursor: string | null } = await ok(
          call('GET', `${drill}?limit=4${cursor ? `&cursor=${cursor}` : ''}`, undefined, evaluator),
        );
        expect(page).toMatchObject({ source: 'published', total: 6 });
        expect(page.items.length).toBeLessThanOrEqual(4);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items as { date: string; met: boolean }[];
    };
    /** What the latest ScoresPublished event froze for 甲's visits. */
    const frozen = async () => {
      const events = await t.service.deps.store.readStream('performance-publication-2025-H2');
      const scores = events.at(-1)!.data.scores as { workerId: string; metrics: { key: string; evidence: unknown[] }[] }[];
      return scores.find((s) => s.workerId === ids.a)!.metrics.find((m) => m.key === 'visits_done')!.evidence;
    };
    const before = await pagesOf();
    expect(before).toEqual(await frozen());
    expect(before.filter((e) => e.met).map((e) => e.date)).toEqual(['2025-07', '2025-08']);
    const view = await ok(call('GET', `/api/v1/performance/${ids.a}?period=2025-H2`, undefined, evaluator));
    expect(view.score.metrics.find((m: { key: string }) => m.key === 'visits_done').evidence).toEqual(before);
    // Unknown metric, a worker not on the published sheet: 404.
    expect((await call('GET', `/api/v1/performance/2025-H2/workers/${ids.a}/metrics/no_such_metric/evidence`, undefined, evaluator)).statusCode).toBe(404);
    const stranger = '00000000-0000-4000-8000-00000000dead';
    expect((await call('GET', `/api/v1/performance/2025-H2/workers/${stranger}/metrics/visits_done/evidence`, undefined, evaluator)).statusCode).toBe(404);
    // A December visit entered late (within the week's backdating window) does not move the published facts; the next publication does.
    t.clock.set('2026-01-05T02:00:00.000Z');
    await ok(call('POST', '/api/v1/visits', { groupId: ids.g1, date: '2025-12-30', kind: 'routine' }, bearer(t.token('village_worker', ids.a))), 201);
    expect(await pagesOf()).toEqual(before);
    await ok(call('POST', '/api/v1/performance/publish', { period: '2025-H2' }, evaluator), 201);
    const after = await pagesOf();
    expect(after).toEqual(await frozen());
    expect(after.filter((e) => e.met).map((e) => e.date)).toEqual(['2025-07', '2025-08', '2025-12']);
    // A rebuild replays both publications: the latest one's sheet and evidence, as before.
    const sheet = await ok(call('GET', '/api/v1/performance?period=2025-H2', undefined, evaluator));
    await t.service.deps.projections.rebuild('performance');
    expect(await pagesOf()).toEqual(after);
    expect(await ok(call('GET', '/api/v1/performance?period=2025-H2', undefined, evaluator))).toEqual(sheet);
  });

  it('evaluators never see household personal data in scores', async () => {
    const r = await call('GET', `/api/v1/performance/${ids.a}?period=2025-H2`, undefined, evaluator);
    expect(r.body).not.toMatch(/idNumber|\d{17}[\dX]/);
  });
});
