import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

describe('RS256 tokens verified against a JWKS endpoint', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let server: Server;
  let issuer: string;
  let t: TestApp;

  beforeAll(async () => {
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = createServer((req, res) => {
      if (req.url === '/.well-known/jwks.json') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await startTestApp({ backend: 'pglite', env: { JWT_SECRET: '', JWKS_URL: `${issuer}/.well-known/jwks.json`, JWT_ISSUER: issuer } });
  });
  afterAll(async () => {
    await t?.close();
    server?.close();
  });

  const sign = (key: string, kid: string, iss: string) =>
    createSigner({ key, algorithm: 'RS256', kid, iss, expiresIn: 600_000 })({ sub: 'u1', role: 'auditor' });
  const pem = (k: typeof privateKey) => k.export({ type: 'pkcs8', format: 'pem' }).toString();

  it('accepts a token whose key is in the JWKS and whose issuer is configured', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: bearer(sign(pem(privateKey), 'key-1', issuer)) });
    expect(response.statusCode).toBe(200);
  });

  it('refuses a token signed by another key, or from another issuer', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: bearer(sign(pem(other.privateKey), 'key-1', issuer)) })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/towns', headers: bearer(sign(pem(privateKey), 'key-1', 'http://evil.example')) })).statusCode,
    ).toBe(401);
  });
});
