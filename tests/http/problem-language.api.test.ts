import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Every problem's detail is Chinese by default and English on Accept-Language: en, whether the
 * error was written in English (a domain rule, a BadRequestError) or in Chinese (a spreadsheet
 * that cannot be read). A representative request for each problem type is sent both ways.
 */
interface Problem {
  type: string;
  title: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}
interface Case {
  name: string;
  type: string;
  send: (headers: Record<string, string>) => Promise<{ statusCode: number; json<T = unknown>(): T }>;
}

/** An English sentence: three words of letters in a row (codes, ids and units are single words). */
const ENGLISH_SENTENCE = /[A-Za-z]{2,}[,:;]?\s+[A-Za-z]{2,}[,:;]?\s+[A-Za-z]{2,}/;
const CJK = /[\u3400-\u9fff]/;

let t: TestApp;
let admin: Record<string, string>;
let townId: string;
const cases: Case[] = [];

beforeAll(async () => {
  t = await startTestApp({ backend: 'pglite' });
  admin = { authorization: `Bearer ${t.token('admin')}` };
  const town = await t.app.inject({ method: 'POST', url: '/api/v1/towns', headers: admin, payload: { code: 'T1', name: '龙头山镇' } });
  townId = town.json<{ id: string }>().id;
  const inject =
    (method: 'GET' | 'POST' | 'PATCH', url: string, options: { payload?: unknown; headers?: Record<string, string>; token?: string | null } = {}) =>
    (headers: Record<string, string>) =>
      t.app.inject({
        method,
        url,
        headers: { ...(options.token === null ? {} : { authorization: `Bearer ${options.token ?? t.token('admin')}` }), ...options.headers, ...headers },
        ...(options.payload === undefined ? {} : { payload: options.payload as string }),
      });
  cases.push(
    { name: 'an invalid field', type: '/problems/validation', send: inject('POST', '/api/v1/towns', { payload: { code: '', name: '' } }) },
    {
      name: 'an If-Match that is no ETag (BadRequestError in English)',
      type: '/problems/validation',
      send: inject('PATCH', `/api/v1/towns/${townId}`, { payload: { name: '新名' }, headers: { 'if-match': 'yesterday' } }),
    },
    { name: 'no token', type: '/problems/unauthenticated', send: inject('GET', '/api/v1/towns', { token: null }) },
    { name: 'a broken token', type: '/problems/unauthenticated', send: inject('GET', '/api/v1/towns', { token: 'not.a.jwt' }) },
    {
      name: 'a role that may not',
      type: '/problems/forbidden',
      send: inject('POST', '/api/v1/towns', { payload: { code: 'T2', name: '镇' }, token: t.token('auditor') }),
    },
    {
      name: 'a worker token naming no worker',
      type: '/problems/unknown-worker',
      send: inject('GET', '/api/v1/households', { token: t.token('village_worker', randomUUID()) }),
    },
    { name: 'an unknown town', type: '/problems/not-found', send: inject('GET', `/api/v1/towns/${randomUUID()}`) },
    { name: 'an unknown route', type: '/problems/not-found', send: inject('GET', '/api/v1/nothing-here') },
    {
      name: 'an outdated If-Match',
      type: '/problems/precondition-failed',
      send: inject('PATCH', `/api/v1/towns/${townId}`, { payload: { name: '新名' }, headers: { 'if-match': '"9"' } }),
    },
    {
      name: 'a town registered twice (a rule written in English)',
      type: '/problems/rule/town.already_registered',
      send: inject('POST', '/api/v1/towns', { payload: { code: 'T1', name: '龙头山镇' } }),
    },
    {
      name: 'a body the route does not take',
      type: '/problems/unsupported-media-type',
      send: inject('POST', '/api/v1/towns', { payload: '<town/>', headers: { 'content-type': 'application/xml' } }),
    },
    {
      name: 'a file that is not text',
      type: '/problems/unreadable-file',
      send: inject('POST', '/api/v1/geography/import', { payload: '\u0000\u0001\u0002 not,a,csv', headers: { 'content-type': 'text/csv' } }),
    },
  );
}, 300_000);
afterAll(() => t?.close());

describe('problem details', () => {
  it('are Chinese by default: no English sentence in any detail or field message', async () => {
    const english: string[] = [];
    for (const c of cases) {
      const r = await c.send({});
      const problem = r.json<Problem>();
      expect(problem.type, c.name).toBe(c.type);
      const texts = [problem.title, problem.detail ?? '', ...(problem.errors ?? []).map((e) => e.message)];
      for (const text of texts) if (!CJK.test(text) || ENGLISH_SENTENCE.test(text)) english.push(`${c.name}: ${text}`);
    }
    expect(english).toEqual([]);
  });

  it('are English on Accept-Language: en, with no Chinese left in them', async () => {
    const chinese: string[] = [];
    for (const c of cases) {
      const r = await c.send({ 'accept-language': 'en' });
      const problem = r.json<Problem>();
      expect(problem.type, c.name).toBe(c.type);
      for (const text of [problem.title, problem.detail ?? '']) if (CJK.test(text)) chinese.push(`${c.name}: ${text}`);
    }
    expect(chinese).toEqual([]);
  });

  it('keeps the specifics on the problem when the detail is the catalogue text', async () => {
    const r = await cases.find((c) => c.type === '/problems/rule/town.already_registered')!.send({});
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ rule: 'town.already_registered', detail: '乡镇已登记', code: 'T1' });
  });
});
