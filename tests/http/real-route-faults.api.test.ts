import { sql } from 'kysely';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { expectStatus } from '../support/api-expect';
import { idNumber } from '../support/national-ids';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 13, findings 3 and 8 on the real routes (the stand-ins in edge-units and edge-privacy show the
 * mechanisms): a rule's details never override the problem's own `status`, and the decisions
 * export that fails after its first byte ends as a broken download, its cause a fault in the
 * data source, never the input (input is refused with a 400 before anything is sent).
 */
describe('finding 8 through the real routes', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const ids: Record<string, string> = {};
  const call = (method: 'GET' | 'POST', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const ok = expectStatus;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2026-03-10T02:00:00.000Z');
    admin = bearer(t.token('admin'));
    ids.town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
  }, 120_000);
  afterAll(async () => t?.close());

  it('adding a withdrawn volunteer to a team answers the rule’s 422 with the problem’s own status, not the volunteer’s', async () => {
    const volunteer = await ok(
      call('POST', '/api/v1/volunteers', {
        name: '志愿者甲',
        idNumber: idNumber('1960-01-01', 41),
        phone: '13812345678',
        skills: [],
        townId: ids.town,
        registeredOn: '2026-01-05',
      }),
      201,
    );
    const team = await ok(call('POST', '/api/v1/volunteer-teams', { name: '银发先锋', kind: 'silver_pioneer', townId: ids.town, formedOn: '2026-01-10' }), 201);
    await ok(call('POST', `/api/v1/volunteers/${volunteer.id}/withdraw`, { on: '2026-02-01', reason: '外出务工' }));
    const r = await call('POST', `/api/v1/volunteer-teams/${team.id}/members`, { volunteerId: volunteer.id, from: '2026-03-01' });
    expect(r.statusCode).toBe(422);
    expect(r.headers['content-type']).toContain('application/problem+json');
    // The rule's details carry the volunteer's status ('withdrawn'); the problem's status stays the HTTP status.
    expect(r.json()).toMatchObject({
      type: '/problems/rule/team.volunteer_not_registered',
      status: 422,
      title: '该志愿者尚未注册',
      rule: 'team.volunteer_not_registered',
      volunteerId: volunteer.id,
      withdrawnOn: '2026-02-01',
    });
    expect(r.json().instance).toBe(`/api/v1/volunteer-teams/${team.id}/members`);
  });

  it('refuses decidedBy=x%00y with a 400 problem before any byte of the export is sent', async () => {
    const r = await call('GET', '/api/v1/decisions/export?format=csv&decidedBy=x%00y', undefined, bearer(t.token('auditor')));
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.headers['content-disposition']).toBeUndefined();
    expect(r.body).not.toContain('decisionId');
  });

  it('a CSV export whose data source fails after the header ends as a broken download; JSONL failing before its first byte is a 500', async () => {
    const address = await t.app.listen({ port: 4251, host: '127.0.0.1' });
    const download = () => fetch(`${address}/api/v1/decisions/export?format=csv`, { headers: bearer(t.token('auditor')) });
    try {
      // Healthy: a complete file (the header line; no decisions yet).
      const healthy = await download();
      expect(healthy.status).toBe(200);
      expect(await healthy.text()).toContain('决定编号,案件编号');

      // The fault: the decisions read model goes away between the header and the first page of rows.
      await sql`alter table rm_decisions rename to rm_decisions_gone`.execute(t.database.db);
      try {
        const broken = await download();
        expect(broken.status).toBe(200);
        expect(broken.headers.get('content-disposition')).toContain('decisions.csv');
        await expect(broken.text()).rejects.toThrow();
        // JSON Lines has no header line: the fault strikes before its first byte, so the answer is still a
        // plain 500 problem, never an empty, complete-looking file.
        const jsonl = await fetch(`${address}/api/v1/decisions/export?format=jsonl`, { headers: bearer(t.token('auditor')) });
        expect(jsonl.status).toBe(500);
        expect(jsonl.headers.get('content-type')).toContain('application/problem+json');
        expect(await jsonl.json()).toMatchObject({ status: 500 });
      } finally {
        await sql`alter table rm_decisions_gone rename to rm_decisions`.execute(t.database.db);
      }
      const again = await download();
      expect(await again.text()).toContain('决定编号,案件编号');
    } finally {
      t.app.server.closeAllConnections();
    }
  }, 60_000);
});

describe('finding 3: a failed database write logs no personal data', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    t = await startTestApp({ logger: createLogger('info', sink) });
  }, 120_000);
  afterAll(async () => t?.close());

  it('logs the error by its kind (SQLSTATE, constraint), never the event payload or the failing row', async () => {
    const admin = { ...bearer(t.token('admin')), 'content-type': 'application/json' };
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: admin, payload });
    const town = (await post('/api/v1/towns', { code: '530626100', name: '中城镇' })).json().id;
    const village = (await post('/api/v1/villages', { townId: town, code: '530626100201', name: '回望村' })).json().id;
    const group = (await post('/api/v1/groups', { villageId: village, code: '530626100201001', name: '一组' })).json().id;
    const secretId = idNumber('1950-06-01', 11);
    // The fault: the event table refuses the row (as a broken disk or a bad migration might), and PostgreSQL's
    // error names the constraint and quotes the failing row: the household's ID numbers and illness.
    await sql`alter table es_events add constraint h13r_refuse_illness check (data_jcs not like '%尿毒症%') not valid`.execute(t.database.db);
    try {
      const r = await post('/api/v1/households', {
        groupId: group,
        incomeStability: 'unstable',
        members: [{ name: '王老汉', idNumber: secretId, relation: 'head', labourCapacity: 'none', seriousIllness: '尿毒症晚期' }],
      });
      expect(r.statusCode).toBe(500);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.body).not.toContain(secretId);
      expect(r.body).not.toContain('尿毒症');
    } finally {
      await sql`alter table es_events drop constraint h13r_refuse_illness`.execute(t.database.db);
    }
    const text = lines.join('');
    expect(text).toContain('h13r_refuse_illness');
    expect(text).toContain('23514');
    expect(text).not.toContain(secretId);
    expect(text).not.toContain('尿毒症');
    expect(text).not.toMatch(/Failing row|"params"|"parameters"/);
  });
});
