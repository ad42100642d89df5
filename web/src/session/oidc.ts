import * as oauth from 'oauth4webapi';
import { OidcError } from './oidc-failures';

/**
 * Signing in through the county's OpenID Connect provider: the authorization-code flow with PKCE
 * for a public client (no secret in a browser), done with oauth4webapi. Loaded only when someone
 * clicks 统一身份认证登录 or comes back from the provider, so the sign-in page stays small.
 *
 * What crosses the redirect (state, nonce, PKCE verifier) waits in this tab's sessionStorage and
 * is read once: a second visit of the same callback URL finds nothing and is refused.
 */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

/** The console's route the provider sends the browser back to (register it at the provider). */
export const CALLBACK_PATH = '/sign-in/callback';
const PENDING_KEY = 'oidc-pending';

interface Pending extends OidcSettings {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
}

export interface OidcDeps {
  storage?: Storage;
  origin?: string;
  /** The fetch of the provider's endpoints (tests give a fake provider). */
  fetch?: typeof fetch;
}

/** The provider's tokens, and where to sign out of it. */
export interface OidcResult {
  /** Sent to the service as the bearer token: the provider's access token for this API. */
  accessToken: string;
  idToken: string;
  /** Whom to greet: the ID token's name, preferred_username, or subject. */
  displayName: string;
  /** RP-initiated logout at the provider, when it offers one; null = sign out here only. */
  logoutUrl: string | null;
}

/** http is allowed only for a provider on this machine (development, the e2e test). */
const isLoopback = (url: URL): boolean => url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

function requestOptions(issuer: URL, deps: OidcDeps) {
  return {
    ...(isLoopback(issuer) ? { [oauth.allowInsecureRequests]: true } : {}),
    ...(deps.fetch ? { [oauth.customFetch]: deps.fetch } : {}),
  };
}

/** A fetch that failed to reach the provider at all, as opposed to one it answered. */
const isNetworkFailure = (error: unknown): boolean =>
  error instanceof TypeError || (error instanceof oauth.OperationProcessingError && error.cause instanceof TypeError);

async function discover(issuer: URL, deps: OidcDeps): Promise<oauth.AuthorizationServer> {
  let response: Response;
  try {
    response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions(issuer, deps) });
  } catch (error) {
    throw new OidcError('unreachable', (error as Error).message);
  }
  try {
    return await oauth.processDiscoveryResponse(issuer, response);
  } catch (error) {
    // A 5xx or an HTML error page from a proxy in front of the provider: it is not there for us.
    throw new OidcError(response.ok ? 'invalid-response' : 'unreachable', (error as Error).message);
  }
}

/** Starts a sign-in: remembers state, nonce and PKCE verifier in this tab, returns the provider's authorize URL. */
export async function beginSignIn(settings: OidcSettings, deps: OidcDeps = {}): Promise<string> {
  const storage = deps.storage ?? sessionStorage;
  const issuer = new URL(settings.issuer);
  const as = await discover(issuer, deps);
  if (!as.authorization_endpoint) throw new OidcError('invalid-response', 'the provider names no authorization_endpoint');
  const pending: Pending = {
    ...settings,
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    verifier: oauth.generateRandomCodeVerifier(),
    redirectUri: `${deps.origin ?? location.origin}${CALLBACK_PATH}`,
  };
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', pending.redirectUri);
  url.searchParams.set('scope', settings.scope);
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
  return url.href;
}

/** Reads (and forgets) the sign-in this tab began. */
function takePending(storage: Storage): Pending | null {
  const stored = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (!stored) return null;
  try {
    return JSON.parse(stored) as Pending;
  } catch {
    return null;
  }
}

/**
 * Finishes a sign-in on the callback URL: checks the state, redeems the code with the PKCE
 * verifier, checks the ID token (issuer, audience, nonce, times). The service still verifies the
 * access token's signature on every request; the caller asks it first (GET /api/v1/auth/session).
 */
export async function completeSignIn(callbackUrl: URL, deps: OidcDeps = {}): Promise<OidcResult> {
  const storage = deps.storage ?? sessionStorage;
  const pending = takePending(storage);
  const params = callbackUrl.searchParams;
  // Checked before anything else: a callback this tab did not ask for is not acted on, error or not.
  if (!pending) throw new OidcError('no-sign-in-pending');
  if (params.get('state') !== pending.state) throw new OidcError('state-mismatch');
  const error = params.get('error');
  if (error === 'access_denied') throw new OidcError('cancelled', params.get('error_description') ?? undefined);
  if (error) throw new OidcError('provider-error', [error, params.get('error_description')].filter(Boolean).join(': '));

  const issuer = new URL(pending.issuer);
  const as = await discover(issuer, deps);
  const client: oauth.Client = { client_id: pending.clientId };
  let callback: URLSearchParams;
  try {
    callback = oauth.validateAuthResponse(as, client, params, pending.state);
  } catch (failure) {
    throw new OidcError('invalid-response', (failure as Error).message);
  }
  let tokens: oauth.TokenEndpointResponse;
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      callback,
      pending.redirectUri,
      pending.verifier,
      requestOptions(issuer, deps),
    );
    tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  } catch (failure) {
    if (isNetworkFailure(failure)) throw new OidcError('unreachable', (failure as Error).message);
    if (failure instanceof oauth.ResponseBodyError)
      throw new OidcError('provider-error', [failure.error, failure.error_description].filter(Boolean).join(': '));
    throw new OidcError('invalid-response', (failure as Error).message);
  }
  const claims = oauth.getValidatedIdTokenClaims(tokens)!;
  const name = [claims.name, claims.preferred_username].find((c): c is string => typeof c === 'string' && c.length > 0);
  return {
    accessToken: tokens.access_token,
    idToken: tokens.id_token!,
    displayName: name ?? claims.sub,
    logoutUrl: logoutUrlOf(as, pending, tokens.id_token!),
  };
}

function logoutUrlOf(as: oauth.AuthorizationServer, pending: Pending, idToken: string): string | null {
  if (!as.end_session_endpoint) return null;
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set('client_id', pending.clientId);
  url.searchParams.set('id_token_hint', idToken);
  url.searchParams.set('post_logout_redirect_uri', `${new URL(pending.redirectUri).origin}/sign-in`);
  return url.href;
}
