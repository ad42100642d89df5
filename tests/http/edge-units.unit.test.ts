import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { csvRecord, neutraliseFormula } from '../../src/application/csv-writer';
import { decodeCursor, encodeCursor } from '../../src/application/pagination';
import { loadConfig } from '../../src/config';
import { DomainRuleViolation } from '../../src/domain/shared/errors';
import { registerErrorHandling } from '../../src/http/error-handler';
import { tokenTimeProblem } from '../../src/http/plugins/auth';
import { findForbiddenText, jsonDepthExceeds } from '../../src/http/plugins/input-guards';
import { problem } from '../../src/http/problem';
import { requestIdOf } from '../../src/http/request-id';
import { rolesAllowedOn } from '../../src/http/route-roles';
import { ROLES } from '../../src/application/actor';
import { redactUrl, redactValues } from '../../src/logging/redact-values';
import { errorSerializer } from '../../src/logging/serializers';

describe('redaction by value', () => {
  it('removes ID numbers (18 and 15 digits) and mobile numbers wherever they are in a line', () => {
    const line = '{"msg":"note: 申请人 11010519491231002X 电话 138-0000-1111 或 +86 13912345678, 旧证 530626500101123","n":12345}';
    const out = redactValues(line);
    for (const secret of ['11010519491231002X', '138-0000-1111', '13912345678', '530626500101123']) expect(out).not.toContain(secret);
    expect(out).toContain('"n":12345');
  });
  it('keeps harmless query values and redacts names, searches, tokens and anything unusual', () => {
    expect(redactUrl('/api/v1/households?name=%E5%BC%A0%E4%B8%89&limit=5&town=0f8fad5b-d9cb-469f-a165-70867728950e&period=2023-H1')).toBe(
      '/api/v1/households?name=[redacted]&limit=5&town=0f8fad5b-d9cb-469f-a165-70867728950e&period=2023-H1',
    );
    expect(redactUrl('/x?token=abc&note=free%20text&idNumber=530626199001011234')).toBe('/x?token=[redacted]&note=[redacted]&idNumber=[redacted]');
    expect(redactUrl('/x/530626199001011234')).toBe('/x/[redacted]');
  });
  it('logs an error by its kind: no params, parameters or detail with row values', () => {
    const error = Object.assign(new Error('null value in column "name"'), {
      code: '23502',
      table: 'es_events',
      params: ['{"idNumber":"530626199001011234","illness":"HIV"}'],
      detail: 'Failing row contains (HIV)',
      parameters: [1],
    });
    const logged = JSON.stringify(errorSerializer(error));
    expect(logged).toContain('23502');
    expect(logged).toContain('es_events');
    expect(logged).not.toMatch(/HIV|530626199001011234|params|Failing row/);
  });
  it('withholds the value a database error message quotes', () => {
    const error = Object.assign(new Error('invalid input syntax for type uuid: "王老汉"'), { code: '22P02' });
    expect(errorSerializer(error).message).toBe('invalid input syntax for type uuid: [value withheld]');
  });
});

describe('request ids', () => {
  const id = (value?: string) => requestIdOf({ headers: value === undefined ? {} : { 'x-request-id': value } } as never);
  it('keeps a short, well-formed x-request-id and replaces anything else', () => {
    expect(id('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    for (const bad of ['a'.repeat(65), '张三', 'a b', '530626199001011234\n', '']) expect(id(bad)).toMatch(/^[0-9a-f-]{36}$/);
    expect(id()).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('token times', () => {
  const now = 1_800_000_000;
  it('requires exp, bounds the lifetime and refuses iat/nbf in the future beyond the leeway', () => {
    expect(tokenTimeProblem({ iat: now, exp: now + 3600 }, now, 86_400, 30)).toBeNull();
    expect(tokenTimeProblem({ iat: now }, now, 86_400, 30)).toMatch(/exp/);
    expect(tokenTimeProblem({ iat: now, exp: now + 86_400 * 2 }, now, 86_400, 30)).toMatch(/longer/);
    expect(tokenTimeProblem({ exp: now + 86_400 * 2 }, now, 86_400, 30)).toMatch(/longer/);
    expect(tokenTimeProblem({ iat: now + 31, exp: now + 600 }, now, 86_400, 30)).toMatch(/future/);
    expect(tokenTimeProblem({ iat: now + 29, exp: now + 600 }, now, 86_400, 30)).toBeNull();
    expect(tokenTimeProblem({ iat: now, nbf: now + 3600, exp: now + 7200 }, now, 86_400, 30)).toMatch(/nbf/);
    expect(tokenTimeProblem({ iat: 'yesterday', exp: now + 60 }, now, 86_400, 30)).toMatch(/iat/);
  });
});

describe('input guards', () => {
  it('measures JSON depth without parsing, ignoring brackets inside strings', () => {
    expect(jsonDepthExceeds('[[[]]]', 3)).toBe(false);
    expect(jsonDepthExceeds('[[[[]]]]', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[\\"[["}', 2)).toBe(false);
  });
  it('finds NUL and lone surrogates in keys and values, and accepts surrogate pairs', () => {
    expect(findForbiddenText({ a: ['ok', { b: 'x\u0000' }] }, 'body')).toBe('body.a.1.b');
    expect(findForbiddenText({ name: '\ud83d' }, 'body')).toBe('body.name');
    expect(findForbiddenText({ name: '𠮷 😀' }, 'body')).toBeNull();
  });
});

describe('cursors', () => {
  it('accept what the service issues and refuse values of the wrong shape', () => {
    const issued = { appliedOn: '2023-05-01', id: '0f8fad5b-d9cb-469f-a165-70867728950e' };
    expect(decodeCursor(encodeCursor(issued))).toEqual(issued);
    for (const forged of [
      { id: 'x' },
      { appliedOn: '2023-02-30', id: issued.id },
      { code: 5 },
      { code: ['x'] },
      { row: -1, ordinal: 0 },
      { name: 'a\u0000' },
      { other: 'x' },
      {},
    ]) {
      expect(() => decodeCursor(encodeCursor(forged))).toThrow(/cursor/);
    }
  });
});

describe('problem details', () => {
  it('a rule whose details carry status, type or title cannot change the problem', async () => {
    expect(problem('forbidden', 422, { status: 200, type: 'evil' })).toMatchObject({
      type: '/problems/forbidden',
      status: 422,
      title: '无权进行此操作',
    });
    const app = Fastify();
    registerErrorHandling(app);
    app.get('/boom', async () => {
      throw new DomainRuleViolation('volunteer.withdrawn', 'the volunteer has withdrawn', {
        status: 200,
        type: 'x',
        title: 'ok',
        instance: '/elsewhere',
        requestId: 'forged',
        volunteerId: 'v1',
      });
    });
    const r = await app.inject({ method: 'GET', url: '/boom' });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({
      type: '/problems/rule/volunteer.withdrawn',
      status: 422,
      title: '该志愿者已退出',
      instance: '/boom',
      volunteerId: 'v1',
      rule: 'volunteer.withdrawn',
    });
    expect(r.json().requestId).not.toBe('forged');
    await app.close();
  });
});

describe('CSV writer', () => {
  it('neutralises cells a spreadsheet would run as formulas, and leaves numbers alone', () => {
    expect(csvRecord(['=HYPERLINK("http://x","点我")', '+1+1', '-2', -3, '@SUM(A1)', '\tx', 'plain, "quoted"', null, 5])).toBe(
      `"'=HYPERLINK(""http://x"",""点我"")",'+1+1,-2,-3,'@SUM(A1),'\tx,"plain, ""quoted""",,5\r\n`,
    );
    expect(neutraliseFormula('-12.5')).toBe('-12.5');
  });
});

describe('edge configuration', () => {
  it('reads CORS origins, proxy trust and limits, with safe defaults', () => {
    const d = loadConfig({});
    expect(d).toMatchObject({ CORS_ORIGINS: [], TRUST_PROXY: false, JWT_MAX_LIFETIME_SECONDS: 86_400, IDEMPOTENCY_TTL_HOURS: 24 });
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).CORS_ORIGINS).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS/);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });
});

describe('role gate table', () => {
  it('derives the roles from the policies: admin-only writes, evaluator assessments, read-only roles never write', () => {
    expect(rolesAllowedOn('POST', '/api/v1/towns', ROLES)).toEqual(['admin']);
    expect(rolesAllowedOn('POST', '/api/v1/assessments', ROLES)).toEqual(['evaluator']);
    expect(rolesAllowedOn('POST', '/api/v1/audit/replay', ROLES)).toEqual(['auditor', 'admin']);
    expect(rolesAllowedOn('POST', '/api/v1/audit/ledger/verify', ROLES)).toEqual(['auditor', 'admin']);
    expect(rolesAllowedOn('POST', '/api/v1/visits', ROLES)).not.toContain('auditor');
    expect(rolesAllowedOn('GET', '/api/v1/households', ROLES)).toBeNull();
  });
});
