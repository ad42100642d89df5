import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TAGS } from '../../src/http/openapi';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The OpenAPI document (/docs/json) is what front ends are generated from: every operation has
 * an operationId, a description, its security, problem+json errors and documented headers, and
 * every enum its labels.
 */
interface Schema {
  description?: string;
  $ref?: string;
  type?: string;
  enum?: unknown[];
  'x-enum-descriptions'?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
}
interface Media {
  schema?: Schema;
  example?: unknown;
}
interface Response {
  description?: string;
  content?: Record<string, Media>;
  headers?: Record<string, unknown>;
}
interface Parameter {
  in: string;
  name: string;
  description?: string;
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags: string[];
  security?: unknown;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, Response>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { headers: Record<string, { description: string }>; schemas: Record<string, Schema> };
}
interface Term {
  code: string;
  zh: string;
  en: string;
  official?: string;
}
interface Vocabulary {
  name: string;
  terms: Term[];
}
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
const PUBLIC = [
  'GET /health',
  'GET /ready',
  'GET /metrics', // its own METRICS_TOKEN or an admin token, checked by the route
  'GET /api/v1/vocabularies',
  'GET /api/v1/vocabularies/{name}',
  'GET /api/v1/audit/ledger/public-key',
  'GET /api/v1/demo/users',
  'GET /api/v1/auth/sign-in-options',
];

let t: TestApp;
let doc: Doc;
beforeAll(async () => {
  t = await startTestApp({ backend: 'pglite' });
  doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json<Doc>();
}, 300_000);
afterAll(() => t?.close());

function operations(): { key: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
  );
}

function walk(node: unknown, visit: (schema: Schema, path: string) => void, path = ''): void {
  if (Array.isArray(node)) return node.forEach((n, i) => walk(n, visit, `${path}[${i}]`));
  if (!node || typeof node !== 'object') return;
  visit(node, path);
  for (const [key, value] of Object.entries(node)) if (key !== 'example' && key !== 'examples') walk(value, visit, `${path}.${key}`);
}

function memberProperties(): Record<string, Schema> {
  return doc.paths['/api/v1/households']!.post!.requestBody!.content['application/json']!.schema!.properties!.members!.items!.properties!;
}

describe('the OpenAPI document', () => {
  it('gives every operation a unique operationId, a summary, a description and one known tag', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(150);
    const ids = ops.map(({ op }) => op.operationId);
    expect(ops.filter(({ op }) => typeof op.operationId !== 'string').map(({ key }) => key)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ops.filter(({ op }) => !op.summary || !op.description).map(({ key }) => key)).toEqual([]);
    const tags = new Set(API_TAGS.map((tag) => tag.name));
    expect(ops.filter(({ op }) => op.tags?.length !== 1 || !tags.has(op.tags[0]!)).map(({ key, op }) => `${key} ${op.tags.join(',')}`)).toEqual([]);
    expect(ops.some(({ op }) => op.tags.includes('operations'))).toBe(false);
  });

  it('declares security per operation: the public ones with security: []', () => {
    for (const { key, op } of operations()) {
      if (PUBLIC.includes(key)) expect(op.security, key).toEqual([]);
      else expect(op.security, key).toEqual([{ bearer: [] }]);
    }
  });

  it('declares every error as application/problem+json with the Problem schema, and no "Default Response"', () => {
    const wrong: string[] = [];
    for (const { key, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!response.description || response.description === 'Default Response') wrong.push(`${key} ${status}: description`);
        if (Number(status) < 400 || key === 'GET /ready') continue;
        if (response.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem') wrong.push(`${key} ${status}: not problem+json`);
        if (response.content?.['application/json']) wrong.push(`${key} ${status}: application/json`);
      }
      for (const status of ['400', '429', '500']) if (!op.responses[status]) wrong.push(`${key}: no ${status}`);
      if (!PUBLIC.includes(key) && !op.responses['401']) wrong.push(`${key}: no 401`);
    }
    expect(wrong).toEqual([]);
  });

  it('documents the headers: Idempotency-Key, If-Match, ETag, Location, Retry-After', () => {
    const ops = operations();
    const headerParams = (op: Operation) => (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
    for (const { key, op } of ops.filter(({ key }) => key.startsWith('POST ') && !PUBLIC.includes(key))) {
      expect(headerParams(op), key).toContain('idempotency-key');
    }
    const patchTown = doc.paths['/api/v1/towns/{id}']!.patch!;
    expect(headerParams(patchTown)).toContain('if-match');
    expect(patchTown.responses['200']!.headers!.ETag).toEqual({ $ref: '#/components/headers/ETag' });
    expect(patchTown.responses['412']!.description).toMatch(/If-Match/);
    expect(doc.paths['/api/v1/towns']!.post!.responses['201']!.headers!.Location).toEqual({ $ref: '#/components/headers/Location' });
    for (const { key, op } of ops) expect(op.responses['429']!.headers!['Retry-After'], key).toBeDefined();
    for (const name of ['ETag', 'Location', 'Retry-After', 'X-Request-Id']) expect(doc.components.headers[name]!.description).toMatch(/[\u4e00-\u9fff]/);
  });

  it('gives every request body an example and declares CSV bodies as text/csv', () => {
    for (const { key, op } of operations()) {
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) expect(media.example, `${key} ${type}`).toBeDefined();
    }
    const geographyImport = doc.paths['/api/v1/geography/import']!.post!.requestBody!.content;
    expect(geographyImport['text/csv']!.schema).toMatchObject({ type: 'string' });
    expect(geographyImport['application/json']).toBeDefined();
  });

  it('labels every enum of codes with x-enum-descriptions in Chinese', () => {
    const unlabeled: string[] = [];
    walk(doc, (schema, path) => {
      if (!Array.isArray(schema.enum) || schema.enum.length < 2 || !schema.enum.every((v: unknown) => typeof v === 'string')) return;
      const labels = schema['x-enum-descriptions'];
      if (!Array.isArray(labels) || labels.length !== schema.enum.length || !labels.every((l: string) => /[\u4e00-\u9fff]/.test(l)))
        unlabeled.push(`${path}: ${schema.enum.join(',')}`);
    });
    expect(unlabeled).toEqual([]);
    expect(memberProperties().relation!.description).toContain('head=户主');
  });

  it('describes the fields a front end stumbles on first: ID number, sex, birth date, workerId of a visit', () => {
    const member = memberProperties();
    expect(member.idNumber!.description).toMatch(/18 位.*GB 11643/);
    expect(member.sex!.description).toMatch(/身份证号/);
    expect(member.birthDate!.description).toMatch(/身份证号/);
    const visit = doc.paths['/api/v1/visits']!.post!.requestBody!.content['application/json']!.schema!.properties!;
    expect(visit.workerId!.description).toMatch(/管理员.*必填/);
  });

  it('describes every parameter and property in Chinese and English', () => {
    const undescribed: string[] = [];
    const monolingual: string[] = [];
    const check = (where: string, text: string | undefined) => {
      if (!text) undescribed.push(where);
      else if (!/[\u4e00-\u9fff]/.test(text) || !/[A-Za-z]{2,}/.test(text)) monolingual.push(`${where}: ${text}`);
    };
    for (const { key, op } of operations()) for (const p of op.parameters ?? []) check(`${key} ${p.in}.${p.name}`, p.description);
    walk(doc, (schema, path) => {
      for (const [name, property] of Object.entries(schema.properties ?? {})) if (!property.$ref) check(`${path}.${name}`, property.description);
    });
    expect(undescribed).toEqual([]);
    expect(monolingual).toEqual([]);
  });

  it('reads a shared field the same everywhere and tells the unit of money and days', () => {
    const texts = new Map<string, Set<string>>();
    walk(doc, (schema) => {
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        if (property.description) texts.set(name, (texts.get(name) ?? new Set()).add(property.description));
      }
    });
    expect([...texts.get('recordedAt')!].every((t) => t.includes('ISO 8601'))).toBe(true);
    expect([...texts.get('amountFen')!].every((t) => /分/.test(t))).toBe(true);
    const donation = doc.components.schemas.Donation!.properties!;
    expect(donation.receivedOn!.description).toMatch(/YYYY-MM-DD.*Asia\/Shanghai/);
    const visits = doc.paths['/api/v1/visits']!.get!.parameters!;
    expect(visits.find((p) => p.name === 'from')!.description).toMatch(/起始日期/);
  });
});

describe('vocabularies', () => {
  it('lists every enum the API uses with zh and en labels and the official terms', async () => {
    const all = await t.app.inject({ method: 'GET', url: '/api/v1/vocabularies' });
    expect(all.statusCode).toBe(200);
    const items = all.json<{ items: Vocabulary[] }>().items;
    const program = items.find((v) => v.name === 'program')!;
    expect(program.terms.find((term) => term.code === 'dibao')).toEqual({
      code: 'dibao',
      zh: '低保',
      en: 'minimum living allowance',
      official: '最低生活保障',
    });
    const groups = (await t.app.inject({ method: 'GET', url: '/api/v1/vocabularies/population_group' })).json<Vocabulary>();
    expect(groups.terms.map((term) => term.official)).toEqual(expect.arrayContaining(['事实无人抚养儿童', '分散供养特困人员']));
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/vocabularies/nothing', headers: { 'accept-language': 'en' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json<unknown>()).toMatchObject({ type: '/problems/not-found', title: 'Not found' });
  });
});
