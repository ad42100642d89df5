import { expect } from 'vitest';

/** What these helpers read of a `fastify.inject` reply. */
interface Reply {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
  json(): any;
}

/** Awaits an injected request, asserts its status (the body is the failure message) and returns its JSON. */
export async function expectStatus(request: PromiseLike<Reply>, status = 200): Promise<any> {
  const r = await request;
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
}

/** Awaits an injected request and asserts it was refused by the named domain rule (422 problem+json). */
export async function expectRuleRefusal(request: PromiseLike<Reply>, rule: string): Promise<any> {
  const r = await request;
  expect(r.statusCode, r.body).toBe(422);
  expect(r.headers['content-type']).toContain('application/problem+json');
  expect(r.json().type).toBe(`/problems/rule/${rule}`);
  return r.json();
}
