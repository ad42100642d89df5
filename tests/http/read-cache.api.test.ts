import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api-expect';
import { idNumber } from '../support/national-ids';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { availableBackends } from '../support/test-database';

/**
 * Coverage and the score sheet are answered from a cache of their serialized JSON until the log
 * moves (issue 20). What a reader must see: the same answer while nothing is recorded, the new
 * one as soon as an event is, an answer cut to the caller (a village worker never gets the
 * county's), a new answer on a new county day; and a sheet measured ahead (`warm`) that its
 * first reader does not measure again.
 */
type Created = { id: string };
type Coverage = { asOf: string; towns: { id: string; name: string; villages: { groups: { id: string }[] }[] }[]; totals: { groups: number } };

describe.each(await availableBackends())('reads answered from the response cache on %s', (backend) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let town: string;
  let village: string;
  let worker: string;
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const coverage = (headers = admin, query = '') => expectStatus(call('GET', `/api/v1/coverage${query}`, undefined, headers)) as Promise<Coverage>;

  beforeAll(async () => {
    t = await startTestApp({ backend });
    t.clock.set('2025-05-05T02:00:00.000Z');
    admin = bearer(t.token('admin'));
    town = ((await expectStatus(call('POST', '/api/v1/towns', { code: '530626101', name: '缓存镇' }), 201)) as Created).id;
    village = ((await expectStatus(call('POST', '/api/v1/villages', { townId: town, code: '530626101201', name: '缓存村' }), 201)) as Created).id;
    await expectStatus(call('POST', '/api/v1/groups', { villageId: village, code: '530626101201001', name: '一组' }), 201);
    worker = (
      (await expectStatus(
        call('POST', '/api/v1/workers', {
          name: '社工甲',
          level: 'village',
          phone: '13900000000',
          idNumber: idNumber('1986-04-04', 301),
          hireDate: '2025-05-01',
          posting: { villageId: village },
        }),
        201,
      )) as Created
    ).id;
  }, 120_000);
  afterAll(async () => t?.close());

  it('gives the same answer until an event is recorded, then the new one', async () => {
    const first = await coverage();
    // A read-model row changed behind the log's back (never done by the service): the cached
    // answer stands, which shows the second read did not query the read model again…
    await sql`update rm_coverage_places set name = '改名镇' where id = ${town}::uuid`.execute(t.service.deps.database.db);
    const second = await coverage();
    expect(second).toEqual(first);
    expect(second.towns[0]!.name).toBe('缓存镇');
    // …and any recorded event moves the log, so the next read is computed afresh.
    await expectStatus(call('POST', '/api/v1/groups', { villageId: village, code: '530626101201002', name: '二组' }), 201);
    const third = await coverage();
    expect(third.totals.groups).toBe(2);
    expect(third.towns[0]!.name).toBe('改名镇');
    await sql`update rm_coverage_places set name = '缓存镇' where id = ${town}::uuid`.execute(t.service.deps.database.db);
  });

  it('cuts the answer to each caller and to the query, and follows the county day', async () => {
    const county = await coverage();
    expect(county.towns).toHaveLength(1);
    // A village worker's answer is their own, not the admin's cached one.
    const own = await coverage(bearer(t.token('village_worker', worker)));
    expect(own.totals.groups).toBe(0);
    expect(await coverage(admin, `?village=${village}`)).toEqual(await expectStatus(call('GET', `/api/v1/coverage?village=${village}&source=query`)));
    // The next day is another answer (asOf), though nothing was recorded.
    t.clock.set('2025-05-06T02:00:00.000Z');
    expect((await coverage()).asOf).toBe('2025-05-06');
  });

  it('serves a sheet measured ahead without measuring it again, and a new one after an event', async () => {
    const today = '2025-05-06';
    expect(await t.service.services.performance.warm(t.clock.now())).toContain('2025-H1');
    const state = async () =>
      (
        await sql<{
          as_of: unknown;
          computed_at: unknown;
        }>`select as_of::text as as_of, computed_at::text as computed_at from rm_performance_sheets where period = '2025-H1'`.execute(
          t.service.deps.database.db,
        )
      ).rows[0]!;
    const measured = await state();
    expect(measured.as_of).toBe(today);
    const evaluator = bearer(t.token('evaluator'));
    const sheet = (await expectStatus(call('GET', '/api/v1/performance?period=2025-H1', undefined, evaluator))) as {
      asOf: string;
      items: { workerId: string }[];
    };
    expect(sheet.asOf).toBe(today);
    expect(sheet.items.map((s) => s.workerId)).toContain(worker);
    expect((await state()).computed_at).toBe(measured.computed_at);
    // A responsibility assigned: the sheet is read again, through the counters it made stale.
    const group = (await coverage(admin, '?detail=groups')).towns[0]!.villages[0]!.groups[0]!.id;
    await expectStatus(call('PUT', `/api/v1/groups/${group}/responsible-worker`, { workerId: worker, from: today }));
    await expectStatus(call('GET', '/api/v1/performance?period=2025-H1', undefined, evaluator));
    expect((await state()).computed_at).not.toBe(measured.computed_at);
  });
});
