import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/client';
import { OidcError } from '../session/oidc-failures';
import { clearSession, loadSession } from '../session/session';
import { SessionProvider } from '../session/SessionContext';
import { renderInConsole } from '../test/render';
import OidcCallbackPage from './OidcCallbackPage';
import { SignInPage } from './SignInPage';

// The OIDC flow itself is tested in session/oidc.web.test.tsx; here the pages around it.
const oidc = vi.hoisted(() => ({ beginSignIn: vi.fn(), completeSignIn: vi.fn() }));
vi.mock('../session/oidc', () => oidc);

const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) });
const refused = (problem: object) => ({ error: problem, response: new Response(null, { status: 401 }) });
const PROVIDER = { issuer: 'https://id.example.gov.cn/realms/county', clientId: 'console', scope: 'openid' };

/** The service's answers by path: sign-in options, and who a token signs in as. */
function serviceAnswers(answers: { options?: object; session?: (token: string) => unknown }) {
  return vi.spyOn(api, 'GET').mockImplementation((async (path: string, init?: { headers?: Record<string, string> }) => {
    if (path === '/api/v1/auth/sign-in-options') return ok({ demo: false, tokenPaste: true, oidc: null, ...answers.options });
    if (path === '/api/v1/auth/session') return answers.session!(init?.headers?.Authorization?.replace('Bearer ', '') ?? '');
    throw new Error(`unexpected ${path}`);
  }) as never);
}

afterEach(() => {
  vi.restoreAllMocks();
  oidc.beginSignIn.mockReset();
  oidc.completeSignIn.mockReset();
  clearSession();
});

describe('the sign-in page', () => {
  it('offers 统一身份认证登录 only when the service names a provider', async () => {
    serviceAnswers({ options: { oidc: PROVIDER } });
    renderInConsole(<SignInPage />);
    expect(await screen.findByRole('button', { name: /统一身份认证登录/ })).toBeTruthy();
    // Token paste stays one click away.
    expect(screen.getByRole('button', { name: '使用令牌登录' })).toBeTruthy();
  });

  it('without a provider or demo users, opens the token form at once', async () => {
    serviceAnswers({});
    renderInConsole(<SignInPage />);
    expect(await screen.findByLabelText('访问令牌（Bearer）')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /统一身份认证登录/ })).toBeNull();
  });

  it('is in English when asked', async () => {
    serviceAnswers({ options: { oidc: PROVIDER } });
    renderInConsole(<SignInPage />, { language: 'en' });
    expect(await screen.findByRole('button', { name: /Sign in with the county identity service/ })).toBeTruthy();
  });

  it('says in Chinese when the provider cannot be reached, and lets one try again', async () => {
    serviceAnswers({ options: { oidc: PROVIDER } });
    oidc.beginSignIn.mockRejectedValue(new OidcError('unreachable', 'Failed to fetch'));
    renderInConsole(<SignInPage />);
    await userEvent.click(await screen.findByRole('button', { name: /统一身份认证登录/ }));
    expect(await screen.findByText('无法连接统一身份认证服务，请检查网络或稍后再试')).toBeTruthy();
    expect(screen.getByText('Failed to fetch')).toBeTruthy();
    expect(oidc.beginSignIn).toHaveBeenCalledWith(PROVIDER);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: /统一身份认证登录/ }).disabled).toBe(false);
  });

  it('shows the service’s own refusal of a pasted token instead of signing in', async () => {
    const token = `h.${btoa(JSON.stringify({ sub: 'w-1', role: 'village_worker' }))}.s`;
    serviceAnswers({
      session: () => refused({ type: '/problems/unauthenticated', title: '需要登录（有效的 Bearer 令牌）', status: 401, detail: '令牌已过期' }),
    });
    renderInConsole(
      <SessionProvider>
        <SignInPage />
      </SessionProvider>,
    );
    await userEvent.type(await screen.findByLabelText('访问令牌（Bearer）'), token);
    await userEvent.click(screen.getByRole('button', { name: /^登\s*录$/ }));
    expect(await screen.findByText('令牌已过期')).toBeTruthy();
    expect(loadSession()).toBeNull();
  });
});

describe('the provider’s redirect back (/sign-in/callback)', () => {
  const renderCallback = () =>
    renderInConsole(
      <SessionProvider>
        <OidcCallbackPage />
      </SessionProvider>,
      { path: '/sign-in/callback?code=c&state=s' },
    );

  it('signs in with the role the service reads from the provider’s token, kept in sessionStorage only', async () => {
    oidc.completeSignIn.mockResolvedValue({ accessToken: 'provider-token', idToken: 'id', displayName: '李社工', logoutUrl: 'https://id.example/logout' });
    const get = serviceAnswers({ session: (token) => (token === 'provider-token' ? ok({ sub: 'w-3', role: 'village_worker' }) : refused({})) });
    renderCallback();
    await waitFor(() => expect(loadSession()).toMatchObject({ token: 'provider-token', role: 'village_worker', sub: 'w-3', displayName: '李社工' }));
    expect(get).toHaveBeenCalledWith('/api/v1/auth/session', { headers: { Authorization: 'Bearer provider-token' } });
    expect(sessionStorage.getItem('console-session')).toContain('provider-token');
    expect(localStorage.getItem('console-session')).toBeNull();
    expect(oidc.completeSignIn).toHaveBeenCalledTimes(1);
  });

  it('explains a state mismatch in Chinese and does not sign in', async () => {
    oidc.completeSignIn.mockRejectedValue(new OidcError('state-mismatch'));
    renderCallback();
    expect(await screen.findByText(/登录校验失败（state 不一致）/)).toBeTruthy();
    expect(screen.getByRole('button', { name: '返回登录页' })).toBeTruthy();
    expect(loadSession()).toBeNull();
  });

  it('says so when the person cancelled at the provider', async () => {
    oidc.completeSignIn.mockRejectedValue(new OidcError('cancelled'));
    renderCallback();
    expect(await screen.findByText('您已取消登录')).toBeTruthy();
  });

  it('shows the service’s problem+json when it refuses the provider’s token', async () => {
    oidc.completeSignIn.mockResolvedValue({ accessToken: 'provider-token', idToken: 'id', displayName: 'x', logoutUrl: null });
    serviceAnswers({
      session: () =>
        refused({
          type: '/problems/unauthenticated',
          title: '需要登录（有效的 Bearer 令牌）',
          status: 401,
          detail: 'the token needs a subject and one of the roles',
        }),
    });
    renderCallback();
    expect(await screen.findByText(/本服务拒绝了该令牌/)).toBeTruthy();
    expect(screen.getByText('需要登录（有效的 Bearer 令牌）')).toBeTruthy();
    expect(screen.getByText(/one of the roles/)).toBeTruthy();
    expect(loadSession()).toBeNull();
  });
});
