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
  household?: { householdId: string; personIds: string[]; replayed: boolean };
  problem?: { type: string; title: string; status: number; rule?: string };
};
type Registered = { recorded: number; replayed: number; refused: number; items: Outcome[] };

/**
 * POST /households/batch: a station entering a paper survey's households at once. Each is checked
 * and registered as POST /households would; a refused one holds back no other; a resent key
 * registers nothing twice; the answer names ids only.
 */
describe.each(await availableBackends())('households registered in a batch on %s', (backend) => {
  let t: TestApp;
  let admin: Record<string, string>;
  const ids: Record<string, string> = {};
  let seq = 200;
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const created = async (url: string, payload: object) => ((await expectStatus(call('POST', url, payload), 201)) as { id: string }).id;
  const register = (households: object[], headers = admin) => call('POST', '/api/v1/households/batch', { households }, headers);
  const person = (name: string, relation = 'head') => ({ name, idNumber: idNumber('1960-01-01', seq++), relation, labourCapacity: 'full' });
  const registrations = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from es_events where type = 'HouseholdRegistered'`.execute(t.database.db)).rows[0]!.n);

  beforeAll(async () => {
    t = await startTestApp({ backend });
    t.clock.set('2026-03-10T02:00:00.000Z');
    admin = bearer(t.token('admin'));
    const area = await townVillageAndWorker((method, url, payload) => call(method, url, payload));
    ids.village = area.village;
    ids.group = await created('/api/v1/groups', { villageId: area.village, code: '530626100201001', name: '一组' });
    const otherVillage = await created('/api/v1/villages', { townId: area.town, code: '530626100202', name: '远山村' });
    ids.otherGroup = await created('/api/v1/groups', { villageId: otherVillage, code: '530626100202001', name: '远山一组' });
    const villageWorker = await created('/api/v1/workers', {
      name: '村社工乙',
      level: 'village',
      phone: '13900000001',
      idNumber: idNumber('1986-04-04', 41),
      hireDate: '2025-01-01',
      posting: { villageId: area.village },
    });
    await expectStatus(call('PUT', `/api/v1/groups/${ids.group}/responsible-worker`, { workerId: villageWorker, from: '2026-01-01' }));
    ids.villageWorker = villageWorker;
  });
  afterAll(async () => t?.close());

  it('registers each household as POST /households would, answering ids only, in the order sent', async () => {
    const before = await registrations();
    const head = person('张三');
    const reply = register([
      { key: 'survey-1', groupId: ids.group, incomeStability: 'unstable', members: [head, person('张小', 'child')] },
      { key: 'survey-2', groupId: ids.group, members: [person('李四')] },
    ]);
    const body = (await expectStatus(reply, 200)) as Registered;
    expect(body).toMatchObject({ recorded: 2, replayed: 0, refused: 0 });
    expect(body.items.map((i) => [i.key, i.status, i.household?.personIds.length, i.household?.replayed])).toEqual([
      ['survey-1', 201, 2, false],
      ['survey-2', 201, 1, false],
    ]);
    // No personal data in the answer: ids only.
    const text = (await reply).body;
    expect(text).not.toContain('张三');
    expect(text).not.toContain(head.idNumber);
    expect(await registrations()).toBe(before + 2);
    const shown = (await expectStatus(call('GET', `/api/v1/households/${body.items[0]!.household!.householdId}`))) as {
      incomeStability: string;
      members: { personId: string; name: string }[];
    };
    expect(shown.incomeStability).toBe('unstable');
    expect(shown.members.map((m) => m.personId)).toEqual(body.items[0]!.household!.personIds);
  });

  it('answers a resent batch with the households first registered, and registers nothing twice', async () => {
    const households = [
      { key: 'resent-1', groupId: ids.group, members: [person('王五')] },
      { key: 'resent-2', groupId: ids.group, members: [person('赵六')] },
    ];
    const first = (await expectStatus(register(households), 200)) as Registered;
    const before = await registrations();
    const again = (await expectStatus(register(households), 200)) as Registered;
    expect(again).toMatchObject({ recorded: 0, replayed: 2, refused: 0 });
    expect(again.items.map((i) => i.household)).toEqual(first.items.map((i) => ({ ...i.household, replayed: true })));
    expect(await registrations()).toBe(before);
  });

  it('refuses a resent key carrying other members, as a reused Idempotency-Key is refused', async () => {
    await expectStatus(register([{ key: 'changed', groupId: ids.group, members: [person('钱七')] }]), 200);
    const again = (await expectStatus(register([{ key: 'changed', groupId: ids.group, members: [person('孙八')] }]), 200)) as Registered;
    expect(again.items[0]).toMatchObject({ status: 422, problem: { type: '/problems/idempotency-key-reused' } });
  });

  it('registers the good households of a batch and answers each refused one with its problem', async () => {
    const before = await registrations();
    const twice = person('周九');
    const body = (await expectStatus(
      register([
        { key: 'mixed-ok', groupId: ids.group, members: [twice] },
        { key: 'mixed-same-person', groupId: ids.group, members: [{ ...twice, relation: 'head' }] },
        { key: 'mixed-no-group', groupId: '00000000-0000-4000-8000-000000000099', members: [person('吴十')] },
        { key: 'mixed-two-heads', groupId: ids.group, members: [person('郑一'), person('郑二')] },
      ]),
      200,
    )) as Registered;
    expect(body.items.map((i) => [i.key, i.status, i.problem?.type])).toEqual([
      ['mixed-ok', 201, undefined],
      ['mixed-same-person', 422, '/problems/rule/person.already_in_household'],
      ['mixed-no-group', 404, '/problems/not-found'],
      ['mixed-two-heads', 422, expect.stringMatching(/^\/problems\/rule\//)],
    ]);
    expect(body).toMatchObject({ recorded: 1, refused: 3 });
    expect(await registrations()).toBe(before + 1);
    // The same person sent alone afterwards is refused as well: the batch registered them once.
    const alone = await call('POST', '/api/v1/households', { groupId: ids.group, members: [twice] });
    expect(alone.statusCode).toBe(422);
  });

  it('refuses a household outside the caller’s area, and keeps the rest', async () => {
    const worker = bearer(t.token('village_worker', ids.villageWorker));
    const body = (await expectStatus(
      register(
        [
          { key: 'mine', groupId: ids.group, members: [person('冯甲')] },
          { key: 'not-mine', groupId: ids.otherGroup, members: [person('陈乙')] },
        ],
        worker,
      ),
      200,
    )) as Registered;
    expect(body.items.map((i) => i.status)).toEqual([201, 403]);
  });

  it('refuses a malformed or oversized batch whole, with a problem and nothing registered', async () => {
    const before = await registrations();
    const one = { groupId: ids.group, members: [person('褚丙')] };
    for (const [payload, field] of [
      [{ households: [] }, 'body.households'],
      [{ households: [one] }, 'body.households.0.key'],
      [
        {
          households: [
            { ...one, key: 'same' },
            { ...one, key: 'same' },
          ],
        },
        'body.households.1.key',
      ],
      [{ households: [{ ...one, key: 'k', members: [] }] }, 'body.households.0.members'],
      [{ households: Array.from({ length: 501 }, (_, i) => ({ ...one, key: `k${i}` })) }, 'body.households'],
    ] as const) {
      const reply = await call('POST', '/api/v1/households/batch', payload);
      expect(reply.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(reply.headers['content-type']).toContain('application/problem+json');
      expect(reply.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(field);
    }
    expect(await registrations()).toBe(before);
  });

  it('is refused to read-only roles', async () => {
    expect((await call('POST', '/api/v1/households/batch', { households: [] }, bearer(t.token('auditor')))).statusCode).toBe(403);
  });
});
