import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * A front end generates its client from /docs/json: openapi-typescript turns the document into
 * types and a small program using openapi-fetch type-checks against them. A second program
 * sending a Chinese label instead of the code must not: the check can fail.
 */
const FIRST_HOUR = `
import createClient from 'openapi-fetch';
import type { components, paths } from './api';

type Problem = components['schemas']['Problem'];
const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:3220', headers: { 'Accept-Language': 'zh-CN' } });

export async function firstHour(groupId: string): Promise<string[]> {
  const out: string[] = [];
  const relation = await client.GET('/api/v1/vocabularies/{name}', { params: { path: { name: 'relation' } } });
  if (relation.data) out.push(...relation.data.terms.map((term) => term.code + '=' + term.zh + (term.official ?? '')));

  const created = await client.POST('/api/v1/households', {
    params: { header: { 'Idempotency-Key': 'first-household' } },
    body: {
      groupId,
      incomeStability: 'stable',
      members: [{ name: '李秀英', idNumber: '53062619900101123X', relation: 'head', labourCapacity: 'full', disability: null, seriousIllness: null, schoolStatus: null }],
    },
  });
  if (created.error) {
    const problem: Problem = created.error;
    out.push(problem.type, problem.title, ...(problem.errors ?? []).map((e) => e.path + ': ' + e.message));
  } else {
    out.push(created.data.id, String(created.data.version));
  }

  const towns = await client.GET('/api/v1/towns', { params: { query: { limit: 10 } } });
  for (const town of towns.data?.items ?? []) out.push(town.code, town.name);
  const renamed = await client.PATCH('/api/v1/towns/{id}', { params: { path: { id: groupId }, header: { 'if-match': '"1"' } }, body: { name: '新名' } });
  if (renamed.data) out.push(String(renamed.data.version));
  return out;
}
`;

const WRONG_CODE = `
import createClient from 'openapi-fetch';
import type { paths } from './api';
const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:3220' });
export const refused = client.POST('/api/v1/households', {
  body: { groupId: 'g', incomeStability: 'stable', members: [{ name: '李秀英', idNumber: 'x', relation: '户主', labourCapacity: 'full', disability: null, seriousIllness: null, schoolStatus: null }] },
});
`;

let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await startTestApp({ backend: 'pglite' });
  // Inside the repository, so the programs resolve openapi-fetch from its node_modules.
  mkdirSync('node_modules/.cache', { recursive: true });
  dir = mkdtempSync(join('node_modules/.cache', 'openapi-client-'));
});
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await t?.close();
});

/**
 * The compiler's complaints about each program, from one compilation of both: the libraries and the
 * generated types are read and bound once (two compilations were 7 s of this file's 9).
 */
function diagnostics(...files: string[]): string[][] {
  const paths = files.map((file) => join(dir, file));
  const program = ts.createProgram(paths, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  const global = ts.getPreEmitDiagnostics(program).filter((d) => !d.file);
  return paths.map((path) =>
    [...global, ...ts.getPreEmitDiagnostics(program, program.getSourceFile(path))].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  );
}

describe('a typed client generated from /docs/json', () => {
  it('type-checks a first-hour program with openapi-fetch, and refuses a label sent as a code', { timeout: 180_000 }, async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json<OpenAPI3>();
    writeFileSync(join(dir, 'api.d.ts'), astToString(await openapiTS(doc)));
    writeFileSync(join(dir, 'first-hour.ts'), FIRST_HOUR);
    writeFileSync(join(dir, 'wrong-code.ts'), WRONG_CODE);
    const [firstHour, wrong] = diagnostics('first-hour.ts', 'wrong-code.ts');
    expect(firstHour).toEqual([]);
    expect(wrong!.join('\n')).toMatch(/"户主"/);
  });
});
