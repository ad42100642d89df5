/**
 * A fake OpenID Connect provider as a fetch function, for the console's tests: discovery, and a
 * token endpoint that redeems the code it handed out only with the matching PKCE verifier.
 * The ID token is unsigned ("sig"): oauth4webapi checks its claims, the service its signature.
 */
export interface FakeProviderOptions {
  issuer?: string;
  clientId?: string;
  /** Overrides of the ID token's claims (a wrong nonce, another audience…). */
  idClaims?: Record<string, unknown>;
  /** What the token endpoint answers instead of tokens (an OAuth error). */
  tokenError?: { status: number; body: Record<string, unknown> };
}

const b64url = (value: string | Uint8Array): string => {
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
};

export const fakeJwt = (claims: Record<string, unknown>): string =>
  `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'k1' }))}.${b64url(JSON.stringify(claims))}.sig`;

export function fakeProvider(options: FakeProviderOptions = {}) {
  const issuer = options.issuer ?? 'https://id.example.gov.cn/realms/county';
  const clientId = options.clientId ?? 'social-work-console';
  const requests: { url: string; body?: URLSearchParams }[] = [];
  /** The code challenge of the last authorize request the test followed. */
  let challenge = '';
  let nonce = '';
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = init?.body instanceof URLSearchParams ? init.body : undefined;
    requests.push({ url: url.href, ...(body ? { body } : {}) });
    if (url.href === `${issuer}/.well-known/openid-configuration`) {
      return json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/certs`,
        end_session_endpoint: `${issuer}/logout`,
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.href === `${issuer}/token`) {
      if (options.tokenError) return json(options.tokenError.body, options.tokenError.status);
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body?.get('code_verifier') ?? '')));
      if (body?.get('code') !== 'the-code' || b64url(digest) !== challenge) return json({ error: 'invalid_grant' }, 400);
      const now = Math.floor(Date.now() / 1000);
      const id = { iss: issuer, aud: clientId, sub: 'w-3', iat: now, exp: now + 300, nonce, name: '李社工', ...options.idClaims };
      return json({
        access_token: fakeJwt({ iss: issuer, sub: 'w-3', role: 'village_worker', exp: now + 300 }),
        token_type: 'Bearer',
        expires_in: 300,
        id_token: fakeJwt(id),
      });
    }
    return json({}, 404);
  };
  /** The browser at the provider: signs in and is sent back to the console with a code (or an error). */
  const authorize = (authorizeUrl: string, answer: Record<string, string> = { code: 'the-code' }): URL => {
    const asked = new URL(authorizeUrl);
    challenge = asked.searchParams.get('code_challenge') ?? '';
    nonce = asked.searchParams.get('nonce') ?? '';
    const back = new URL(asked.searchParams.get('redirect_uri')!);
    for (const [key, value] of Object.entries({ state: asked.searchParams.get('state') ?? '', ...answer })) back.searchParams.set(key, value);
    return back;
  };
  return { issuer, clientId, fetch, authorize, requests };
}
