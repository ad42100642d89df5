import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigner } from 'fast-jwt';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspViolations, launchChromium, openConsole, screenshot } from './support/browser';

/**
 * Signing in through the county's OpenID Connect provider in a real browser (issue 17): this file
 * starts its own service (no demo, OIDC_ISSUER and OIDC_CLIENT_ID set, keys from the provider's
 * discovery) and a small fake provider (discovery, authorize that redirects back with a code,
 * token endpoint checking PKCE, JWKS, logout). Chromium clicks 统一身份认证登录, goes through the
 * real redirects and lands signed in with the role's menu.
 */
const ROOT = join(import.meta.dirname, '..', '..');
/** Ports of this file (the suite's own service uses E2E_PORTS); OIDC_E2E_PORTS=4220-4299 overrides. */
const [LOW, HIGH] = (process.env.OIDC_E2E_PORTS ?? '4220-4299').split('-').map(Number) as [number, number];
const CLIENT_ID = 'social-work-console';

async function freePort(after = LOW): Promise<number> {
  for (let port = after; port <= HIGH; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createNetServer()
        .once('error', () => resolve(false))
        .listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${after}-${HIGH}`);
}

const b64url = (bytes: Buffer): string => bytes.toString('base64url');

/** What the fake provider does at its next authorize request. */
type Next = { kind: 'sign-in'; sub: string; role: string; name: string } | { kind: 'cancel' };

function fakeProvider(issuer: string, consoleOrigin: () => string) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sign = createSigner({
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    algorithm: 'RS256',
    kid: 'k1',
    iss: issuer,
    expiresIn: 600_000,
  });
  const codes = new Map<string, { challenge: string; nonce: string; redirectUri: string; who: Extract<Next, { kind: 'sign-in' }> }>();
  const seen = { authorize: [] as URLSearchParams[], token: [] as URLSearchParams[], logout: 0 };
  let next: Next = { kind: 'sign-in', sub: 'auditor-oidc', role: 'auditor', name: '审计员张敏' };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': consoleOrigin(), 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const redirect = (res: ServerResponse, location: URL) => res.writeHead(302, { location: location.href }).end();
  const formOf = (req: IncomingMessage): Promise<URLSearchParams> =>
    new Promise((resolve) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => resolve(new URLSearchParams(body)));
    });

  const server = createHttpServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', issuer);
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': consoleOrigin(),
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        });
        return res.end();
      }
      switch (url.pathname) {
        case '/.well-known/openid-configuration':
          return send(res, 200, {
            issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: `${issuer}/token`,
            jwks_uri: `${issuer}/jwks`,
            end_session_endpoint: `${issuer}/logout`,
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
            code_challenge_methods_supported: ['S256'],
          });
        case '/jwks':
          return send(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });
        case '/authorize': {
          const asked = url.searchParams;
          seen.authorize.push(asked);
          const back = new URL(asked.get('redirect_uri')!);
          back.searchParams.set('state', asked.get('state') ?? '');
          if (asked.get('client_id') !== CLIENT_ID || back.origin !== consoleOrigin()) return send(res, 400, { error: 'invalid_request' });
          if (next.kind === 'cancel') {
            back.searchParams.set('error', 'access_denied');
            return redirect(res, back);
          }
          const code = randomUUID();
          codes.set(code, {
            challenge: asked.get('code_challenge') ?? '',
            nonce: asked.get('nonce') ?? '',
            redirectUri: back.origin + back.pathname,
            who: next,
          });
          back.searchParams.set('code', code);
          return redirect(res, back);
        }
        case '/token': {
          const form = await formOf(req);
          seen.token.push(form);
          const grant = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          if (!grant || grant.redirectUri !== form.get('redirect_uri') || form.get('client_id') !== CLIENT_ID)
            return send(res, 400, { error: 'invalid_grant' });
          if (b64url(createHash('sha256').update(verifier).digest()) !== grant.challenge)
            return send(res, 400, { error: 'invalid_grant', error_description: 'PKCE' });
          const { sub, role, name } = grant.who;
          return send(res, 200, {
            access_token: sign({ sub, role }),
            id_token: sign({ sub, aud: CLIENT_ID, nonce: grant.nonce, name }),
            token_type: 'Bearer',
            expires_in: 600,
          });
        }
        case '/logout': {
          seen.logout++;
          return redirect(res, new URL(url.searchParams.get('post_logout_redirect_uri') ?? consoleOrigin()));
        }
        default:
          return send(res, 404, { error: 'not_found' });
      }
    })();
  });
  return {
    server,
    seen,
    set next(value: Next) {
      next = value;
    },
  };
}

async function startService(env: Record<string, string>, port: number): Promise<{ child: ChildProcess; output: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    // The suite's environment may carry a JWT_SECRET: OIDC tokens are the provider's, so none here.
    env: { ...process.env, DEMO: '0', JWT_SECRET: '', DATABASE_URL: '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const deadline = Date.now() + 5 * 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the OIDC service exited with ${child.exitCode}\n${output.join('')}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ready`)).status === 200) return { child, output };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  child.kill('SIGTERM');
  throw new Error(`the OIDC service was not ready in 5 minutes\n${output.join('')}`);
}

let browser: Browser;
let provider: ReturnType<typeof fakeProvider>;
let service: ChildProcess;
let dataDir: string;
let consoleUrl: string;

beforeAll(async () => {
  const providerPort = await freePort();
  const servicePort = await freePort(providerPort + 1);
  const issuer = `http://127.0.0.1:${providerPort}`;
  consoleUrl = `http://127.0.0.1:${servicePort}`;
  provider = fakeProvider(issuer, () => consoleUrl);
  await new Promise<void>((resolve) => provider.server.listen(providerPort, '127.0.0.1', resolve));
  dataDir = mkdtempSync(join(tmpdir(), 'e2e-oidc-'));
  ({ child: service } = await startService({ DATA_DIR: dataDir, OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_SCOPE: 'openid profile' }, servicePort));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (service && service.exitCode === null) {
    const exited = new Promise((resolve) => service.once('exit', resolve));
    service.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    if (service.exitCode === null) service.kill('SIGKILL');
  }
  // Chromium's keep-alive connections would hold close() open.
  provider?.server.closeAllConnections();
  await new Promise((resolve) => provider?.server.close(resolve));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('signing in through the OIDC provider', () => {
  it('goes to the provider and back with a code, lands with the role’s menu, and signs out at the provider too', async () => {
    provider.next = { kind: 'sign-in', sub: 'auditor-oidc', role: 'auditor', name: '审计员张敏' };
    const { context, page, problems } = await openConsole(browser);
    await page.goto(`${consoleUrl}/sign-in`);
    await page.getByTestId('oidc-sign-in').click();
    await page.waitForURL(/\/auditor\/decisions$/);
    // The menu draws after the route changes (the lazy role screens load first): wait for it, then look.
    await page.getByRole('menuitem', { name: '救助决定' }).waitFor({ state: 'visible' });
    await expect(page.getByRole('menuitem', { name: '审计运行' }).isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain('审计员张敏');
    await screenshot(page, 'oidc', 'signed-in');

    // The authorization-code flow with PKCE: a challenge out, the verifier only to the token endpoint.
    const [asked] = provider.seen.authorize;
    expect(asked?.get('response_type')).toBe('code');
    expect(asked?.get('code_challenge_method')).toBe('S256');
    expect(asked?.get('state')).toMatch(/\S{20,}/);
    expect(asked?.get('nonce')).toMatch(/\S{20,}/);
    expect(provider.seen.token[0]?.get('code_verifier')).toMatch(/^[\w-]{43,}$/);
    expect(provider.seen.token[0]?.has('client_secret')).toBe(false);
    // The token is in this tab's sessionStorage only, and the code has left the address bar.
    const storage = JSON.parse(
      await page.evaluate<string>(
        'JSON.stringify({ session: sessionStorage.getItem("console-session"), local: localStorage.length, pending: sessionStorage.getItem("oidc-pending") })',
      ),
    ) as { session: string | null; local: number; pending: string | null };
    expect(JSON.parse(storage.session!)).toMatchObject({ role: 'auditor', sub: 'auditor-oidc' });
    expect(storage.local).toBe(0);
    expect(storage.pending).toBeNull();
    expect(page.url()).not.toContain('code=');

    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(/\/sign-in$/);
    expect(provider.seen.logout).toBe(1);
    expect(await page.evaluate<string | null>('sessionStorage.getItem("console-session")')).toBeNull();
    await page.getByTestId('oidc-sign-in').waitFor();
    expect(cspViolations(problems)).toEqual([]);
    await context.close();
  });

  it('says so in Chinese when the person cancels at the provider, and when the service refuses the token', async () => {
    const { context, page } = await openConsole(browser);
    provider.next = { kind: 'cancel' };
    await page.goto(`${consoleUrl}/sign-in`);
    await page.getByTestId('oidc-sign-in').click();
    await page.getByText('您已取消登录').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in/callback');

    // A token the provider signs but the service cannot accept (no role of the console): its problem+json is shown.
    provider.next = { kind: 'sign-in', sub: 'visitor', role: 'guest', name: '访客' };
    await page.getByRole('button', { name: '返回登录页' }).click();
    await page.getByTestId('oidc-sign-in').click();
    await page.getByText(/本服务拒绝了该令牌/).waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('需要登录');
    expect(await page.evaluate<string | null>('sessionStorage.getItem("console-session")')).toBeNull();
    await screenshot(page, 'oidc', 'token-refused');
    await context.close();
  });
});
