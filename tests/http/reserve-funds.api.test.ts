import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standards2023Input } from '../domain/standards-fixtures';
import { chinaCalendar2023To2024 } from '../domain/working-days-fixtures';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { idNumber } from '../support/national-ids';
import { expectStatus } from '../support/api-expect';

/** Issue #19, finding 6: the town's 临时救助 reserve fund; emergency grants draw on it, its balance is a read model. */
describe('the towns’ reserve funds (备用金)', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const ids: Record<string, string> = {};
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const ok = expectStatus;
  const at = (day: string) => t.clock.set(`${day}T02:00:00.000Z`);
  let seq = 300;
  const fire = async (day: string, requestedFen: number) => {
    at(day);
    const h = await ok(
      call('POST', '/api/v1/households', {
        groupId: ids.g,
        members: [{ name: '火灾户', idNumber: idNumber('1970-01-01', seq++), relation: 'head', labourCapacity: 'full' }],
      }),
      201,
    );
    const c = await ok(
      call('POST', '/api/v1/cases', { program: 'temporary', householdId: h.id, applicantPersonId: h.members[0].personId, channel: 'emergency' }),
      201,
    );
    return call('POST', `/api/v1/cases/${c.id}/emergency-grant`, {
      facts: { cause: 'fire', description: '房屋失火', occurredOn: day, requestedFen, emergency: true },
    });
  };

  beforeAll(async () => {
    t = await startTestApp();
    at('2023-05-02');
    admin = bearer(t.token('admin'));
    await ok(call('POST', '/api/v1/calendars', JSON.parse(JSON.stringify(chinaCalendar2023To2024))), 201);
    await ok(call('POST', '/api/v1/policies', standards2023Input), 201);
    ids.town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    ids.village = (await ok(call('POST', '/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' }), 201)).id;
    ids.g = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201001', name: '一组' }), 201)).id;
  });
  afterAll(async () => t?.close());

  it('refuses an emergency grant larger than the town’s balance, with the balance in the problem', async () => {
    at('2023-06-01');
    await ok(call('POST', `/api/v1/reserve-funds/${ids.town}/top-ups`, { fen: 50_000, reference: '首批备用金' }), 201);
    const refused = await fire('2023-06-08', 200_000);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ type: '/problems/rule/reserve_fund.insufficient', balanceFen: 50_000, grantFen: 200_000 });
    expect(refused.json().detail).toContain('备用金余额500.00元');
  });

  it('a top-up lets the grant through, and the grant draws on the fund', async () => {
    at('2023-06-09');
    const topped = await ok(call('POST', `/api/v1/reserve-funds/${ids.town}/top-ups`, { fen: 4_950_000, reference: '绥民发〔2023〕12号' }), 201);
    expect(topped).toMatchObject({ balanceFen: 5_000_000, floatFenPerTown: 5_000_000, low: false, topUpToFloatFen: 0 });
    const granted = await fire('2023-06-12', 200_000);
    expect(granted.statusCode, granted.body).toBe(200);
    await ok(fire('2023-06-20', 1_000_000)); // above the policy's maximum: granted ¥10,000
    const fund = await ok(call('GET', `/api/v1/reserve-funds/${ids.town}`));
    expect(fund).toMatchObject({ toppedUpFen: 5_000_000, drawnFen: 1_200_000, balanceFen: 3_800_000, topUpToFloatFen: 1_200_000 });
    expect(fund.items.map((m: any) => [m.kind, m.fen, m.on])).toEqual([
      ['top_up', 50_000, '2023-06-01'],
      ['top_up', 4_950_000, '2023-06-09'],
      ['draw', 200_000, '2023-06-12'],
      ['draw', 1_000_000, '2023-06-20'],
    ]);
  });

  it('answers the balance as of a past day, and flags a low balance', async () => {
    const list = await ok(call('GET', '/api/v1/reserve-funds?asOf=2023-06-15', undefined, bearer(t.token('auditor'))));
    expect(list.items).toEqual([expect.objectContaining({ townName: '中城镇', asOf: '2023-06-15', balanceFen: 4_800_000, low: false })]);
    at('2023-06-25');
    await ok(fire('2023-06-25', 1_000_000));
    await ok(fire('2023-06-26', 1_000_000));
    await ok(fire('2023-06-27', 1_000_000));
    const low = await ok(call('GET', `/api/v1/reserve-funds/${ids.town}`));
    expect(low).toMatchObject({ balanceFen: 800_000, low: true });
  });

  it('the balance survives a rebuild of the read model', async () => {
    const before = await ok(call('GET', `/api/v1/reserve-funds/${ids.town}`));
    await t.service.deps.projections.rebuild('reserve-funds');
    expect(await ok(call('GET', `/api/v1/reserve-funds/${ids.town}`))).toEqual(before);
  });

  it('only the bureau tops up; workers cannot read the funds', async () => {
    for (const role of ['county_worker', 'town_worker', 'auditor'] as const) {
      expect((await call('POST', `/api/v1/reserve-funds/${ids.town}/top-ups`, { fen: 100, reference: 'x' }, bearer(t.token(role)))).statusCode, role).toBe(403);
    }
    expect((await call('GET', '/api/v1/reserve-funds', undefined, bearer(t.token('village_worker')))).statusCode).toBe(403);
    expect((await call('POST', `/api/v1/reserve-funds/${ids.town}/top-ups`, { fen: 100, reference: 'x', on: '2031-01-01' })).json().type).toBe(
      '/problems/rule/reserve_fund.top_up_in_future',
    );
    expect((await call('POST', `/api/v1/reserve-funds/${ids.town}/top-ups`, { fen: -5, reference: 'x' })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/reserve-funds/00000000-0000-4000-8000-000000000000/top-ups', { fen: 5, reference: 'x' })).statusCode).toBe(404);
  });
});
