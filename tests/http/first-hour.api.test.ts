import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

interface Problem {
  type: string;
  title: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/** What a front-end developer met in their first hour (issue 16), fixed at the source. */
describe('the first hour of a front-end developer', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp({ backend: 'pglite' });
    admin = bearer(t.token('admin'));
  });
  afterAll(async () => t?.close());

  it('refuses a worker token whose sub names no worker with a Chinese 403, not empty lists', async () => {
    for (const sub of [randomUUID(), 'li-xiuying']) {
      for (const role of ['village_worker', 'town_worker', 'county_worker'] as const) {
        const r = await t.app.inject({ method: 'GET', url: '/api/v1/households', headers: bearer(t.token(role, sub)) });
        expect(r.statusCode, `${role} ${sub}`).toBe(403);
        expect(r.headers['content-type']).toContain('application/problem+json');
        expect(r.json()).toMatchObject({ type: '/problems/unknown-worker', title: '令牌的 sub 不是任何已登记社工的 ID' });
        expect(r.json<Problem>().detail).toMatch(/workerId/);
      }
    }
    // Roles that are not workers keep answering.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/households', headers: bearer(t.token('auditor', randomUUID())) })).statusCode).toBe(200);
  });

  it('answers problems in Chinese by default and in English on Accept-Language: en', async () => {
    const send = (language?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/households',
        headers: { ...admin, ...(language ? { 'accept-language': language } : {}) },
        payload: { groupId: randomUUID(), members: [{ name: '李秀英', idNumber: '53062619900101123X', relation: '户主', labourCapacity: 'full' }] },
      });
    const zh = await send();
    expect(zh.statusCode).toBe(400);
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(zh.json()).toMatchObject({ type: '/problems/validation', title: '请求内容不符合要求' });
    const relationError = (r: { json<T = unknown>(): T }) => r.json<Problem>().errors!.find((e) => e.path === 'body.members.0.relation')!.message;
    expect(relationError(zh)).toContain('head（户主）');
    const en = await send('en-US,en;q=0.9');
    expect(en.headers['content-language']).toBe('en');
    expect(en.json()).toMatchObject({ type: '/problems/validation', title: 'The request is not valid' });
    expect(relationError(en)).toContain('head (head of household)');
    const unknown = await t.app.inject({ method: 'GET', url: `/api/v1/towns/${randomUUID()}`, headers: admin });
    expect(unknown.json<Problem>().title).toBe('未找到');
    expect(unknown.json<Problem>().detail).toMatch(/^未找到乡镇/);
  });

  it('lets the geography import take the 20,000 rows its schema allows: more are a 400, not a 413', async () => {
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        kind: 'group',
        code: `5306261002010${String(i).padStart(5, '0')}`,
        name: `回望村${i}组`,
        parentCode: '530626100201',
      }));
    const body = JSON.stringify(rows(20_001));
    expect(body.length).toBeGreaterThan(1_048_576);
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/geography/import', headers: { ...admin, 'content-type': 'application/json' }, payload: body });
    expect(r.statusCode).toBe(400);
    expect(r.json<Problem>().type).toBe('/problems/validation');
    const tooLarge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/geography/import',
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: 'kind,code,name,parent_code\n' + 'x'.repeat(9 * 1_048_576),
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({ type: '/problems/payload-too-large', title: '请求体过大' });
  });
});
