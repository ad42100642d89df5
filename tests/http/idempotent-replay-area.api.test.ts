import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api-expect';
import { idNumber } from '../support/national-ids';
import { availableBackends } from '../support/test-database';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 13, finding 5 (the rest of it): a stored Idempotency-Key reply is replayed only when the
 * same caller still passes the route's role check and its area (jurisdiction) check today.
 */
describe.each(await availableBackends())('an idempotent replay re-checks the caller’s area (finding 5) on %s', (backend) => {
  let t: TestApp;
  let admin: Record<string, string>;
  const ids: Record<string, string> = {};
  const call = (method: 'POST' | 'PUT', url: string, payload: object, headers = admin) =>
    t.app.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload });
  const ok = expectStatus;
  const household = (groupId: string | undefined, seq: number) => ({
    groupId,
    incomeStability: 'stable',
    members: [{ name: '幂等户', idNumber: idNumber('1960-01-01', seq), relation: 'head', labourCapacity: 'none', seriousIllness: '尿毒症' }],
  });
  const withKey = (headers: Record<string, string>, key: string) => ({ ...headers, 'idempotency-key': key });

  beforeAll(async () => {
    t = await startTestApp({ backend });
    t.clock.set('2026-03-02T02:00:00.000Z');
    admin = bearer(t.token('admin'));
    ids.town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    ids.town2 = (await ok(call('POST', '/api/v1/towns', { code: '530626101', name: '板栗镇' }), 201)).id;
    ids.village = (await ok(call('POST', '/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' }), 201)).id;
    ids.g1 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201001', name: '一组' }), 201)).id;
    ids.g2 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201002', name: '二组' }), 201)).id;
    const worker = async (level: string, seq: number, posting: object) =>
      (
        await ok(
          call('POST', '/api/v1/workers', {
            name: `社工${seq}`,
            level,
            phone: '13900000000',
            idNumber: idNumber('1985-03-03', seq),
            hireDate: '2025-01-01',
            posting,
          }),
          201,
        )
      ).id;
    ids.vA = await worker('village', 31, { villageId: ids.village });
    ids.vB = await worker('village', 32, { villageId: ids.village });
    ids.townW = await worker('town', 33, { townId: ids.town });
    await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vA, from: '2025-01-01' }));
    await ok(call('PUT', `/api/v1/groups/${ids.g2}/responsible-worker`, { workerId: ids.vB, from: '2025-01-01' }));
  }, 120_000);
  afterAll(async () => t?.close());

  it('replays to a caller still in the area, and keeps the area checks with the stored reply', async () => {
    const vA = withKey(bearer(t.token('village_worker', ids.vA)), 'area-1');
    const first = await call('POST', '/api/v1/households', household(ids.g1, 11), vA);
    expect(first.statusCode, first.body).toBe(201);
    const again = await call('POST', '/api/v1/households', household(ids.g1, 11), vA);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    const row = await sql<{ area_checks: any }>`select area_checks from http_idempotency where principal = ${ids.vA} and key = 'area-1'`.execute(t.database.db);
    const stored = typeof row.rows[0]!.area_checks === 'string' ? JSON.parse(row.rows[0]!.area_checks) : row.rows[0]!.area_checks;
    expect(stored.scope).toBe('groups');
    expect(stored.checks).toContainEqual({ kind: 'covers', place: { townId: ids.town, villageId: ids.village, groupId: ids.g1 } });
  });

  it('answers 403 to a replayed task outcome once the task’s group was handed over', async () => {
    const sick = idNumber('1958-04-04', 41);
    await ok(
      call('POST', '/api/v1/households', {
        groupId: ids.g1,
        incomeStability: 'stable',
        members: [{ name: '陈大病', idNumber: sick, relation: 'head', labourCapacity: 'partial' }],
      }),
      201,
    );
    const medical = await t.app.inject({
      method: 'POST',
      url: '/api/v1/data-imports?source=medical_insurance',
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: ['id_number,name,settlement_id,settled_on,out_of_pocket', `${sick},陈大病,M-1,2026-02-01,60000`].join('\n'),
    });
    expect(medical.json(), medical.body).toMatchObject({ findingsRaised: 1 });
    const task = (await ok(t.app.inject({ method: 'GET', url: '/api/v1/tasks', headers: bearer(t.token('village_worker', ids.vA)) }))).items[0];
    const vA = withKey(bearer(t.token('village_worker', ids.vA)), 'area-task');
    const outcome = { outcome: 'referred', agency: '县医疗保障局', on: '2026-03-02' };
    const first = await call('POST', `/api/v1/tasks/${task.id}/outcome`, outcome, vA);
    expect(first.statusCode, first.body).toBe(200);
    expect((await call('POST', `/api/v1/tasks/${task.id}/outcome`, outcome, vA)).headers['idempotent-replayed']).toBe('true');
    const row = await sql<{ area_checks: any }>`select area_checks from http_idempotency where principal = ${ids.vA} and key = 'area-task'`.execute(
      t.database.db,
    );
    const stored = typeof row.rows[0]!.area_checks === 'string' ? JSON.parse(row.rows[0]!.area_checks) : row.rows[0]!.area_checks;
    expect(stored.checks).toContainEqual({ kind: 'covers', place: { townId: ids.town, villageId: ids.village, groupId: ids.g1 } });
    // g1 goes to vB, and comes back afterwards for the next test.
    await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vB, from: '2026-03-02' }));
    const replay = await call('POST', `/api/v1/tasks/${task.id}/outcome`, outcome, vA);
    expect(replay.statusCode).toBe(403);
    expect(replay.headers['idempotent-replayed']).toBeUndefined();
    await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vA, from: '2026-03-02' }));
  });

  it('answers 403, not the stored household, to a village worker whose group was handed over', async () => {
    const vA = withKey(bearer(t.token('village_worker', ids.vA)), 'area-2');
    const first = await call('POST', '/api/v1/households', household(ids.g1, 13), vA);
    expect(first.statusCode, first.body).toBe(201);
    t.clock.set('2026-03-03T02:00:00.000Z');
    await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vB, from: '2026-03-03' }));
    const replay = await call('POST', '/api/v1/households', household(ids.g1, 13), vA);
    expect(replay.statusCode).toBe(403);
    expect(replay.json().type).toBe('/problems/forbidden');
    expect(replay.headers['idempotent-replayed']).toBeUndefined();
    expect(replay.body).not.toContain(first.json().id);
    expect(replay.body).not.toContain('尿毒症');
    // The worker who holds the group now has their own keys; the one who still holds it replays as before.
    const vB = withKey(bearer(t.token('village_worker', ids.vB)), 'area-3');
    const own = await call('POST', '/api/v1/households', household(ids.g2, 15), vB);
    expect(own.statusCode, own.body).toBe(201);
    expect((await call('POST', '/api/v1/households', household(ids.g2, 15), vB)).headers['idempotent-replayed']).toBe('true');
  });

  it('answers 403 to a town worker posted to another town since, and to one who left', async () => {
    const townW = withKey(bearer(t.token('town_worker', ids.townW)), 'area-4');
    const first = await call('POST', `/api/v1/households`, household(ids.g2, 17), townW);
    expect(first.statusCode, first.body).toBe(201);
    await ok(call('POST', `/api/v1/workers/${ids.townW}/postings`, { townId: ids.town2, from: '2026-03-03' }));
    const moved = await call('POST', '/api/v1/households', household(ids.g2, 17), townW);
    expect(moved.statusCode).toBe(403);
    expect(moved.headers['idempotent-replayed']).toBeUndefined();
    // In the new town the worker's replies replay, until the worker leaves the service.
    const village2 = (await ok(call('POST', '/api/v1/villages', { townId: ids.town2, code: '530626101201', name: '福兴村' }), 201)).id;
    const g3 = (await ok(call('POST', '/api/v1/groups', { villageId: village2, code: '530626101201001', name: '一组' }), 201)).id;
    const inNewTown = withKey(bearer(t.token('town_worker', ids.townW)), 'area-5');
    expect((await call('POST', '/api/v1/households', household(g3, 19), inNewTown)).statusCode).toBe(201);
    expect((await call('POST', '/api/v1/households', household(g3, 19), inNewTown)).headers['idempotent-replayed']).toBe('true');
    await ok(call('POST', `/api/v1/workers/${ids.townW}/leave`, { leftOn: '2026-03-03' }));
    const left = await call('POST', '/api/v1/households', household(g3, 19), inNewTown);
    expect(left.statusCode).toBe(403);
    expect(left.headers['idempotent-replayed']).toBeUndefined();
  });
});
