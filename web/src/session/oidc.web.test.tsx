import { afterEach, describe, expect, it } from 'vitest';
import { fakeProvider } from '../test/fake-oidc-provider';
import { beginSignIn, CALLBACK_PATH, completeSignIn } from './oidc';
import { OidcError } from './oidc-failures';

const ORIGIN = 'https://console.example.gov.cn';
const settingsOf = (provider: ReturnType<typeof fakeProvider>) => ({ issuer: provider.issuer, clientId: provider.clientId, scope: 'openid profile' });
const failureOf = async (promise: Promise<unknown>): Promise<string> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OidcError);
  return (error as OidcError).failure;
};

afterEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});

describe('signing in through the OIDC provider', () => {
  it('sends the browser to the provider with PKCE (S256), a fresh state and nonce, keeping them in this tab only', async () => {
    const provider = fakeProvider();
    const first = new URL(await beginSignIn(settingsOf(provider), { fetch: provider.fetch, origin: ORIGIN }));
    expect(first.origin + first.pathname).toBe(`${provider.issuer}/authorize`);
    expect(Object.fromEntries(first.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: provider.clientId,
      redirect_uri: `${ORIGIN}${CALLBACK_PATH}`,
      scope: 'openid profile',
      code_challenge_method: 'S256',
    });
    expect(first.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    // The verifier never leaves the tab: only its hash goes to the provider.
    const pending = JSON.parse(sessionStorage.getItem('oidc-pending')!) as { verifier: string; state: string; nonce: string };
    expect(first.searchParams.get('state')).toBe(pending.state);
    expect(first.searchParams.get('nonce')).toBe(pending.nonce);
    expect(first.href).not.toContain(pending.verifier);
    expect(localStorage.length).toBe(0);

    const second = new URL(await beginSignIn(settingsOf(provider), { fetch: provider.fetch, origin: ORIGIN }));
    expect(second.searchParams.get('state')).not.toBe(first.searchParams.get('state'));
    expect(second.searchParams.get('code_challenge')).not.toBe(first.searchParams.get('code_challenge'));
  });

  it('redeems the code with the verifier and returns the access token, the name and the provider logout', async () => {
    const provider = fakeProvider();
    const back = provider.authorize(await beginSignIn(settingsOf(provider), { fetch: provider.fetch, origin: ORIGIN }));
    const result = await completeSignIn(back, { fetch: provider.fetch });
    expect(result.displayName).toBe('李社工');
    expect(JSON.parse(atob(result.accessToken.split('.')[1]!))).toMatchObject({ sub: 'w-3', role: 'village_worker' });
    const logout = new URL(result.logoutUrl!);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${ORIGIN}/sign-in`);
    expect(logout.searchParams.get('id_token_hint')).toBe(result.idToken);
    const redeem = provider.requests.find((r) => r.url.endsWith('/token'))!;
    expect(redeem.body?.get('grant_type')).toBe('authorization_code');
    expect(redeem.body?.get('client_id')).toBe(provider.clientId);
    expect(redeem.body?.has('client_secret')).toBe(false);
    // Read once: the same callback again is refused.
    expect(sessionStorage.getItem('oidc-pending')).toBeNull();
    expect(await failureOf(completeSignIn(back, { fetch: provider.fetch }))).toBe('no-sign-in-pending');
  });

  it('refuses a callback whose state is not the one this tab sent, without redeeming its code', async () => {
    const provider = fakeProvider();
    const back = provider.authorize(await beginSignIn(settingsOf(provider), { fetch: provider.fetch, origin: ORIGIN }), { code: 'the-code', state: 'forged' });
    expect(await failureOf(completeSignIn(back, { fetch: provider.fetch }))).toBe('state-mismatch');
    expect(provider.requests.some((r) => r.url.endsWith('/token'))).toBe(false);
  });

  it('tells a cancelled sign-in from a provider error', async () => {
    const provider = fakeProvider();
    const cancelled = provider.authorize(await beginSignIn(settingsOf(provider), { fetch: provider.fetch, origin: ORIGIN }), { error: 'access_denied' });
    expect(await failureOf(completeSignIn(cancelled, { fetch: provider.fetch }))).toBe('cancelled');
    const refused = provider.authorize(await beginSignIn(settingsOf(provider), { fetch: provider.fetch, origin: ORIGIN }), {
      error: 'unauthorized_client',
      error_description: 'client disabled',
    });
    const error = await completeSignIn(refused, { fetch: provider.fetch }).catch((e: unknown) => e as OidcError);
    expect(error).toMatchObject({ failure: 'provider-error', detail: 'unauthorized_client: client disabled' });
  });

  it('refuses an ID token minted for another sign-in (nonce) or another client (aud)', async () => {
    for (const idClaims of [{ nonce: 'replayed' }, { aud: 'another-app' }]) {
      const provider = fakeProvider({ idClaims });
      const back = provider.authorize(await beginSignIn(settingsOf(provider), { fetch: provider.fetch, origin: ORIGIN }));
      expect(await failureOf(completeSignIn(back, { fetch: provider.fetch }))).toBe('invalid-response');
    }
  });

  it('passes on the token endpoint’s OAuth error, and says when the provider cannot be reached', async () => {
    const provider = fakeProvider({ tokenError: { status: 400, body: { error: 'invalid_grant', error_description: 'code expired' } } });
    const back = provider.authorize(await beginSignIn(settingsOf(provider), { fetch: provider.fetch, origin: ORIGIN }));
    const error = await completeSignIn(back, { fetch: provider.fetch }).catch((e: unknown) => e as OidcError);
    expect(error).toMatchObject({ failure: 'provider-error', detail: 'invalid_grant: code expired' });

    const down = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await failureOf(beginSignIn(settingsOf(provider), { fetch: down, origin: ORIGIN }))).toBe('unreachable');
    const proxyError = async () => new Response('<html>502</html>', { status: 502 });
    expect(await failureOf(beginSignIn(settingsOf(provider), { fetch: proxyError, origin: ORIGIN }))).toBe('unreachable');
  });
});
