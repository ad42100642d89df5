import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { ApiProblem, unwrap } from '../api/problem';
import type { components } from '../api/schema';
import { preloadSignedInConsole } from '../app/next-screen';
import { PlainAlert, PlainLanguageSwitch, PlainLoading, PlainProblem } from '../components/Plain';
import { useLanguage } from '../i18n/LanguageContext';
import { OIDC_FAILURE_TEXT, OidcError } from '../session/oidc-failures';
import { sessionFromToken } from '../session/session';
import { verifyToken } from '../session/verify-token';
import { useSession } from '../session/SessionContext';

type DemoUser = components['schemas']['DemoUser'];
type OidcSettings = NonNullable<components['schemas']['SignInOptions']['oidc']>;

/**
 * Signing in, as the service offers it (GET /api/v1/auth/sign-in-options): in demo mode (DEMO=1)
 * pick one of the demo users, one per role; with an OIDC provider configured, 统一身份认证登录;
 * and always pasting a bearer token (from `npm run token` or the county's identity provider).
 */
export function SignInPage() {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  // Asked at once beside the options instead of after them: one round trip less before the buttons
  // show (outside demo mode the service answers 404, which the page never shows).
  useState(() => void queryClient.prefetchQuery(demoUsersQuery));
  const options = useQuery({
    queryKey: ['sign-in-options'],
    queryFn: async () => unwrap(await api.GET('/api/v1/auth/sign-in-options')),
    retry: false,
  });
  const offersDemo = options.data?.demo === true;
  const oidc = options.data?.oidc ?? null;
  // Without demo users the page is complete once the options are in: fetch the next screens now.
  useEffect(() => {
    if (options.isSuccess && !offersDemo) preloadSignedInConsole();
  }, [options.isSuccess, offersDemo]);
  return (
    <div className="plain-page">
      <div className="plain-header">
        <h1>{t({ zh: '社工站工作台', en: 'Social-work console' })}</h1>
        <PlainLanguageSwitch />
      </div>
      {options.isPending && <PlainLoading />}
      {options.error && <PlainProblem error={options.error} />}
      {oidc && <OidcSignIn settings={oidc} />}
      {offersDemo && <DemoSignIn />}
      {/* Open at once when it is the only way in (or the options could not be read). */}
      {!options.isPending && <TokenSignIn open={!offersDemo && !oidc} />}
    </div>
  );
}

/** 统一身份认证登录: the provider's login page, and back to /sign-in/callback (OidcCallbackPage). */
function OidcSignIn({ settings }: { settings: OidcSettings }) {
  const { t } = useLanguage();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<OidcError | null>(null);
  const start = async () => {
    setBusy(true);
    setFailure(null);
    try {
      // The OIDC library is loaded only now: most sign-ins of a demo never need it.
      const { beginSignIn } = await import('../session/oidc');
      window.location.assign(await beginSignIn(settings));
    } catch (error) {
      setFailure(error instanceof OidcError ? error : new OidcError('unreachable', (error as Error).message));
      setBusy(false);
    }
  };
  return (
    <div className="plain-card">
      <div className="plain-card-body">
        <button
          type="button"
          className="plain-button plain-button-primary plain-button-large"
          disabled={busy}
          aria-busy={busy}
          onClick={() => void start()}
          data-testid="oidc-sign-in"
        >
          {busy && <span className="plain-spinner" aria-hidden="true" />}
          {t({ zh: '统一身份认证登录', en: 'Sign in with the county identity service' })}
        </button>
        {failure && (
          <div style={{ marginTop: 12 }}>
            <OidcFailureAlert error={failure} />
          </div>
        )}
      </div>
    </div>
  );
}

/** A failed sign-in at the provider, in the UI language, with the provider's own words beneath. */
export function OidcFailureAlert({ error }: { error: OidcError }) {
  const { t } = useLanguage();
  return (
    <PlainAlert type={error.failure === 'cancelled' ? 'warning' : 'error'} title={t(OIDC_FAILURE_TEXT[error.failure])}>
      {error.detail}
    </PlainAlert>
  );
}

const demoUsersQuery = {
  queryKey: ['demo-users'],
  queryFn: async () => unwrap(await api.GET('/api/v1/demo/users')),
  retry: false,
};

function DemoSignIn() {
  const demo = useQuery({
    ...demoUsersQuery,
    // While the demo county loads (503), ask again every few seconds.
    refetchInterval: (query) => (query.state.error instanceof ApiProblem && query.state.error.status === 503 ? 3000 : false),
  });
  if (demo.isPending) return <PlainLoading />;
  if (demo.error) return <PlainProblem error={demo.error} />;
  return <DemoUsers users={demo.data.items} countyDay={demo.data.countyDay} />;
}

function DemoUsers({ users, countyDay }: { users: DemoUser[]; countyDay: string }) {
  const { t, language } = useLanguage();
  const { signIn } = useSession();
  // The buttons are on the screen: fetch what the click will need.
  useEffect(preloadSignedInConsole, []);
  return (
    <section className="plain-card">
      <div className="plain-card-title">{t({ zh: '演示模式：选择一个身份登录', en: 'Demo mode: sign in as' })}</div>
      <ul className="plain-list plain-card-body">
        {users.map((user) => (
          <li key={user.role}>
            <div>
              <div className="plain-list-title">{user.roleLabel[language]}</div>
              <div className="plain-list-description">{[user.person?.name, user.area.label].filter(Boolean).join(' · ')}</div>
            </div>
            <button
              type="button"
              className="plain-button plain-button-primary"
              data-role={user.role}
              onClick={() =>
                signIn({
                  token: user.token,
                  role: user.role,
                  sub: user.sub,
                  displayName: user.person?.name ?? user.roleLabel[language],
                  countyDay,
                  area: { level: user.area.level, townId: user.area.townId, villageId: user.area.villageId, label: user.area.label },
                })
              }
            >
              {t({ zh: '登录', en: 'Sign in' })}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function TokenSignIn({ open }: { open: boolean }) {
  const { t } = useLanguage();
  const { signIn } = useSession();
  const [invalid, setInvalid] = useState(false);
  const [refused, setRefused] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);
  const [shown, setShown] = useState(false);
  const submit = async (token: string) => {
    const session = sessionFromToken(token);
    setInvalid(!session);
    setRefused(null);
    if (!session) return;
    // The service has the last word on a token (issuer, key, expiry): ask it before showing a menu.
    setChecking(true);
    try {
      const who = await verifyToken(session.token);
      signIn({ ...session, sub: who.sub, role: who.role });
    } catch (error) {
      setRefused(error);
      setChecking(false);
    }
  };
  const [empty, setEmpty] = useState(false);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const token = String(new FormData(event.currentTarget).get('token') ?? '').trim();
    setEmpty(token === '');
    if (token !== '') void submit(token);
  };
  if (!open && !shown)
    return (
      <button type="button" className="plain-button plain-button-link" onClick={() => setShown(true)}>
        {t({ zh: '使用令牌登录', en: 'Sign in with a token' })}
      </button>
    );
  return (
    <section className="plain-card" style={{ marginTop: 16 }}>
      <div className="plain-card-title">{t({ zh: '使用令牌登录', en: 'Sign in with a token' })}</div>
      <form className="plain-card-body" onSubmit={onSubmit} noValidate>
        <div className="plain-field">
          <label htmlFor="sign-in-token">{t({ zh: '访问令牌（Bearer）', en: 'Bearer token' })}</label>
          <textarea id="sign-in-token" name="token" rows={3} autoComplete="off" spellCheck={false} aria-invalid={empty} />
          {empty && <div className="plain-field-error">{t({ zh: '请粘贴令牌', en: 'Paste a token' })}</div>}
        </div>
        {invalid && (
          <PlainAlert
            type="error"
            title={t({ zh: '不是有效的令牌：需要含 sub 与 role 的 JWT', en: 'Not a usable token: a JWT with sub and role is needed' })}
          />
        )}
        {refused !== null && <PlainProblem error={refused} />}
        <button type="submit" className="plain-button plain-button-primary" disabled={checking} aria-busy={checking}>
          {t({ zh: '登录', en: 'Sign in' })}
        </button>
        <p className="plain-note">{t({ zh: '令牌只保存在本标签页中，关闭即失效。', en: 'The token is kept in this tab only and is gone when it closes.' })}</p>
      </form>
    </section>
  );
}
