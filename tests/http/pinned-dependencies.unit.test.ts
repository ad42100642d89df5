import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

/**
 * package.json `overrides` pins cookie 1.1.1 under light-my-request and content-disposition 2.0.1
 * under @fastify/static: every release their dependants' ranges allow (cookie 2, content-
 * disposition 3) declares Node >= 22, while this service promises Node 20.19. The pinned
 * releases export the same functions; these tests run the code paths of the dependants that
 * call them, on the Node running the tests.
 */
const root = path.join(import.meta.dirname, '..', '..');
const require = createRequire(path.join(root, 'package.json'));
/** The version of a module as the dependant in `dir` resolves it (its nested copy when the override put one there). */
function resolvedFor(dir: string, module: string): { version: string } {
  let at = path.dirname(createRequire(path.join(dir, 'package.json')).resolve(module));
  while (!at.endsWith(path.join('node_modules', module))) at = path.dirname(at);
  return JSON.parse(readFileSync(path.join(at, 'package.json'), 'utf8'));
}

describe('dependencies pinned to releases that support Node 20', () => {
  it('are the pinned releases where their dependants load them', () => {
    const lightMyRequest = path.dirname(require.resolve('light-my-request/package.json', { paths: [path.dirname(require.resolve('fastify/package.json'))] }));
    expect(resolvedFor(lightMyRequest, 'cookie').version).toBe('1.1.1');
    const fastifyStatic = path.dirname(createRequire(require.resolve('@fastify/swagger-ui/package.json')).resolve('@fastify/static/package.json'));
    expect(resolvedFor(fastifyStatic, 'content-disposition').version).toBe('2.0.1');
  });

  it('cookie: fastify.inject (light-my-request) still sends the cookies it is given', async () => {
    const app = Fastify();
    app.get('/echo', async (request) => ({ cookie: request.headers.cookie ?? null }));
    const reply = await app.inject({ method: 'GET', url: '/echo', cookies: { session: 'abc', place: '回望村 一组' } });
    expect(reply.json()).toEqual({ cookie: `session=abc; place=${encodeURIComponent('回望村 一组')}` });
    await app.close();
  });

  it('content-disposition: @fastify/static still names a download, with a Chinese file name', async () => {
    const swaggerUi = require.resolve('@fastify/swagger-ui/package.json');
    const fastifyStatic = (await import(createRequire(swaggerUi).resolve('@fastify/static'))).default;
    const app = Fastify();
    await app.register(fastifyStatic, { root, serve: false });
    type Downloads = { download(file: string, name: string): unknown };
    app.get('/file', (_request, reply) => (reply as unknown as Downloads).download('package.json', '走访报告.json'));
    const reply = await app.inject({ method: 'GET', url: '/file' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-disposition']).toBe(`attachment; filename="????.json"; filename*=UTF-8''${encodeURIComponent('走访报告')}.json`);
    expect(JSON.parse(reply.body).name).toBe('social-work-stations');
    await app.close();
  });
});
