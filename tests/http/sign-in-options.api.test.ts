import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/**
 * GET /api/v1/auth/sign-in-options tells the console what its sign-in page offers; with an OIDC
 * provider configured the service also takes that provider's keys from its discovery document
 * and lets the console's scripts reach it (CSP connect-src).
 */
const connectSrc = (csp: string | undefined): string[] =>
  (csp ?? '')
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('connect-src'))!
    .split(/\s+/)
    .slice(1);

describe('sign-in options without an OIDC provider', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ backend: 'pglite' });
  });
  afterAll(() => t?.close());

  it('offers token paste only, to callers without a token', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sign-in-options' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ demo: false, tokenPaste: true, oidc: null });
    expect(connectSrc(response.headers['content-security-policy'] as string)).toEqual(["'self'"]);
  });

  it('names who a token signs in as, and refuses a request without one as problem+json', async () => {
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(t.token('auditor', 'a-7')) });
    expect(mine.json()).toEqual({ sub: 'a-7', role: 'auditor' });
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
  });
});

describe('sign-in options with an OIDC provider', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let provider: Server;
  let issuer: string;
  const asked: string[] = [];
  let t: TestApp;

  beforeAll(async () => {
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
    provider = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      // Keycloak-style: the issuer has a path, and the keys are not at /.well-known/jwks.json.
      if (req.url === '/realms/county/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/protocol/certs` }));
      else if (req.url === '/realms/county/protocol/certs') res.end(JSON.stringify({ keys: [jwk] }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/realms/county`;
    t = await startTestApp({
      backend: 'pglite',
      env: { JWT_SECRET: '', OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'social-work-console', OIDC_SCOPE: 'openid profile' },
    });
  });
  afterAll(async () => {
    await t?.close();
    provider?.close();
  });

  const sign = (key: typeof privateKey, iss: string) =>
    createSigner({ key: key.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: 'RS256', kid: 'k1', iss, expiresIn: 600_000 })({
      sub: 'w-3',
      role: 'village_worker',
    });

  it('names the provider, the public client and the scopes, and lets the console reach the provider', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sign-in-options' });
    expect(response.json()).toEqual({ demo: false, tokenPaste: true, oidc: { issuer, clientId: 'social-work-console', scope: 'openid profile' } });
    expect(connectSrc(response.headers['content-security-policy'] as string)).toEqual(["'self'", new URL(issuer).origin]);
  });

  it("accepts the provider's tokens with keys found through discovery, and refuses others with the reason", async () => {
    const accepted = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(sign(privateKey, issuer)) });
    expect(accepted.json()).toEqual({ sub: 'w-3', role: 'village_worker' });
    expect(asked).toContain('/realms/county/.well-known/openid-configuration');

    const otherKey = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(sign(stranger.privateKey, issuer)) });
    expect(otherKey.statusCode).toBe(401);
    const otherIssuer = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(sign(privateKey, 'http://127.0.0.1:1/other')) });
    expect(otherIssuer.statusCode).toBe(401);
    expect(otherIssuer.json()).toMatchObject({ type: '/problems/unauthenticated', status: 401 });
  });
});

describe('OIDC settings', () => {
  const base = { OIDC_ISSUER: 'https://id.example.gov.cn/realms/county', OIDC_CLIENT_ID: 'console' };
  const problems = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  it('default the expected issuer to the provider and the scope to openid', () => {
    const config = loadConfig(base);
    expect(config.JWT_ISSUER).toBe(base.OIDC_ISSUER);
    expect(config.OIDC_SCOPE).toBe('openid');
  });

  it('refuse settings that could not sign anyone in, naming the variable', () => {
    expect(problems({ OIDC_ISSUER: base.OIDC_ISSUER })).toEqual([expect.stringMatching(/^OIDC_CLIENT_ID: /)]);
    expect(problems({ OIDC_CLIENT_ID: 'console' })).toEqual([expect.stringMatching(/^OIDC_CLIENT_ID: /)]);
    expect(problems({ ...base, JWT_ISSUER: 'https://other.example' })).toEqual([expect.stringMatching(/^JWT_ISSUER: must equal OIDC_ISSUER/)]);
    expect(problems({ ...base, JWT_SECRET: 'x'.repeat(32) })).toEqual([expect.stringMatching(/^JWT_SECRET: /)]);
    expect(problems({ ...base, OIDC_SCOPE: 'profile email' })).toEqual([expect.stringMatching(/^OIDC_SCOPE: must include openid/)]);
    expect(problems({ ...base, OIDC_ISSUER: 'http://id.example.gov.cn' })).toEqual([expect.stringMatching(/^OIDC_ISSUER: https/)]);
    expect(problems({ ...base, OIDC_ISSUER: 'https://id.example.gov.cn/?x=1' })).toHaveLength(1);
  });
});
