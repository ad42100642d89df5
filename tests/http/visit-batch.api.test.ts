import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api-expect';
import { idNumber } from '../support/national-ids';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { availableBackends } from '../support/test-database';
import { townVillageAndWorker } from '../support/village-fixture';

type Outcome = {
  key: string;
  status: number;
  visit?: { id: string; late: boolean; policyVersion: number; replayed: boolean };
  problem?: { type: string; title: string; status: number; rule?: string };
};
type Synced = { recorded: number; replayed: number; refused: number; items: Outcome[] };

/**
 * POST /visits/batch: a worker's app syncing the visits it kept offline. Each visit is checked and
 * recorded as POST /visits would; a refused one holds back no other; a resent key records nothing twice.
 */
describe.each(await availableBackends())('visits synced in a batch on %s', (backend) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let worker: Record<string, string>;
  let stranger: Record<string, string>;
  const ids: Record<string, string> = {};
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const created = async (url: string, payload: object) => ((await expectStatus(call('POST', url, payload), 201)) as { id: string }).id;
  const sync = (visits: object[], headers = worker) => call('POST', '/api/v1/visits/batch', { visits }, headers);
  const visitEvents = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from es_events where type = 'VisitRecorded'`.execute(t.database.db)).rows[0]!.n);

  beforeAll(async () => {
    t = await startTestApp({ backend });
    t.clock.set('2026-03-10T02:00:00.000Z');
    admin = bearer(t.token('admin'));
    const area = await townVillageAndWorker((method, url, payload) => call(method, url, payload));
    ids.worker = area.worker;
    ids.group = await created('/api/v1/groups', { villageId: area.village, code: '530626100201001', name: '一组' });
    ids.otherGroup = await created('/api/v1/groups', { villageId: area.village, code: '530626100201002', name: '二组' });
    await expectStatus(call('PUT', `/api/v1/groups/${ids.group}/responsible-worker`, { workerId: ids.worker, from: '2026-01-01' }));
    ids.household = await created('/api/v1/households', {
      groupId: ids.group,
      incomeStability: 'stable',
      members: [{ name: '王秀兰', idNumber: idNumber('1950-02-02', 7), relation: 'head', labourCapacity: 'none' }],
    });
    worker = bearer(t.token('village_worker', ids.worker));
    stranger = bearer(t.token('village_worker', '00000000-0000-4000-8000-000000000077'));
  });
  afterAll(async () => t?.close());

  it('records each visit as POST /visits would, in the order sent', async () => {
    const before = await visitEvents();
    const body = (await expectStatus(
      sync([
        { key: 'app-1', householdId: ids.household, date: '2026-03-09', kind: 'routine', findings: '身体尚可' },
        { key: 'app-2', groupId: ids.group, date: '2026-03-10', kind: 'care', peopleServed: 12 },
      ]),
      200,
    )) as Synced;
    expect(body).toMatchObject({ recorded: 2, replayed: 0, refused: 0 });
    expect(body.items.map((i) => [i.key, i.status, i.visit?.late, i.visit?.replayed])).toEqual([
      ['app-1', 201, true, false],
      ['app-2', 201, false, false],
    ]);
    expect(await visitEvents()).toBe(before + 2);
    // The same rows as a visit recorded alone: the list shows them with the worker from the token.
    const listed = (await expectStatus(call('GET', `/api/v1/visits?household=${ids.household}`))) as {
      items: { id: string; workerId: string; findings: string; peopleServed: number }[];
    };
    expect(listed.items).toEqual([expect.objectContaining({ id: body.items[0]!.visit!.id, workerId: ids.worker, findings: '身体尚可', peopleServed: 1 })]);
  });

  it('answers a resent sync with the visits first recorded, and records nothing twice', async () => {
    const visits = [
      { key: 'retry-1', householdId: ids.household, date: '2026-03-10', kind: 'routine' },
      { key: 'retry-2', groupId: ids.group, date: '2026-03-10', kind: 'routine' },
    ];
    const first = (await expectStatus(sync(visits), 200)) as Synced;
    const before = await visitEvents();
    const again = (await expectStatus(sync([...visits, { key: 'retry-3', groupId: ids.group, date: '2026-03-10', kind: 'care' }]), 200)) as Synced;
    expect(again).toMatchObject({ recorded: 1, replayed: 2, refused: 0 });
    expect(again.items.slice(0, 2).map((i) => i.visit?.id)).toEqual(first.items.map((i) => i.visit?.id));
    expect(again.items.map((i) => i.visit?.replayed)).toEqual([true, true, false]);
    expect(await visitEvents()).toBe(before + 1);
  });

  it('refuses a resent key carrying another visit, as a reused Idempotency-Key is refused', async () => {
    await expectStatus(sync([{ key: 'changed', householdId: ids.household, date: '2026-03-08', kind: 'routine', findings: '正常' }]), 200);
    const before = await visitEvents();
    const again = (await expectStatus(
      sync([{ key: 'changed', householdId: ids.household, date: '2026-03-08', kind: 'routine', findings: '另一次' }]),
      200,
    )) as Synced;
    expect(again).toMatchObject({ recorded: 0, replayed: 0, refused: 1 });
    expect(again.items[0]).toMatchObject({ status: 422, problem: { type: '/problems/idempotency-key-reused', status: 422 } });
    expect(again.items[0]!.problem!.title).toMatch(/[\u4e00-\u9fff]/);
    expect(await visitEvents()).toBe(before);
  });

  it('records the good visits of a batch and answers each refused one with its problem', async () => {
    const before = await visitEvents();
    const body = (await expectStatus(
      sync([
        { key: 'mixed-ok', householdId: ids.household, date: '2026-03-10', kind: 'routine' },
        { key: 'mixed-not-mine', groupId: ids.otherGroup, date: '2026-03-10', kind: 'routine' },
        { key: 'mixed-future', householdId: ids.household, date: '2026-03-11', kind: 'routine' },
        { key: 'mixed-missing', householdId: '00000000-0000-4000-8000-000000000099', date: '2026-03-10', kind: 'routine' },
      ]),
      200,
    )) as Synced;
    expect(body).toMatchObject({ recorded: 1, refused: 3 });
    expect(body.items.map((i) => [i.key, i.status, i.problem?.type])).toEqual([
      ['mixed-ok', 201, undefined],
      ['mixed-not-mine', 403, '/problems/forbidden'],
      ['mixed-future', 422, expect.stringMatching(/^\/problems\/rule\//)],
      ['mixed-missing', 404, '/problems/not-found'],
    ]);
    expect(await visitEvents()).toBe(before + 1);
  });

  it('keys are the caller’s own: another worker’s same key is another visit, and refused outside their groups', async () => {
    const body = (await expectStatus(sync([{ key: 'app-1', householdId: ids.household, date: '2026-03-10', kind: 'routine' }], stranger), 200)) as Synced;
    expect(body.items[0]).toMatchObject({ status: 403, problem: { type: '/problems/forbidden' } });
  });

  it('refuses a malformed or oversized batch whole, with a problem and nothing recorded', async () => {
    const before = await visitEvents();
    const one = { householdId: ids.household, date: '2026-03-10', kind: 'routine' };
    for (const [payload, field] of [
      [{ visits: [] }, 'body.visits'],
      [{ visits: [one] }, 'body.visits.0.key'],
      [
        {
          visits: [
            { ...one, key: 'same' },
            { ...one, key: 'same' },
          ],
        },
        'body.visits.1.key',
      ],
      [{ visits: [{ ...one, key: 'both', groupId: ids.group }] }, 'body.visits.0.householdId'],
      [{ visits: Array.from({ length: 501 }, (_, i) => ({ ...one, key: `k${i}` })) }, 'body.visits'],
      [{ visits: [{ ...one, key: 'bad key with spaces' }] }, 'body.visits.0.key'],
    ] as const) {
      const reply = await call('POST', '/api/v1/visits/batch', payload, worker);
      expect(reply.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(reply.headers['content-type']).toContain('application/problem+json');
      expect(reply.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(field);
    }
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/visits/batch',
      headers: { ...worker, 'content-type': 'application/json' },
      payload: '{"visits": [',
    });
    expect(notJson.statusCode).toBe(400);
    expect(await visitEvents()).toBe(before);
  });

  it('is refused to read-only roles before anything is read', async () => {
    const reply = await call('POST', '/api/v1/visits/batch', { visits: [] }, bearer(t.token('auditor')));
    expect(reply.statusCode).toBe(403);
  });
});
