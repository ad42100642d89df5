import { Button, Result, Space, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiProblem } from '../api/problem';
import { LanguageSwitch } from '../app/Shell';
import { ProblemAlert } from '../components/ProblemAlert';
import { useLanguage } from '../i18n/LanguageContext';
import { OidcError } from '../session/oidc-failures';
import type { Session } from '../session/session';
import { useSession } from '../session/SessionContext';
import { verifyToken } from '../session/verify-token';
import { OidcFailureAlert } from './SignInPage';

/** The provider's redirect back, turned into a session the service has accepted. */
async function finishSignIn(callbackUrl: URL): Promise<Session> {
  const { completeSignIn } = await import('../session/oidc');
  const result = await completeSignIn(callbackUrl);
  const who = await verifyToken(result.accessToken);
  return {
    token: result.accessToken,
    role: who.role,
    sub: who.sub,
    displayName: result.displayName,
    area: null,
    ...(result.logoutUrl ? { logoutUrl: result.logoutUrl } : {}),
  };
}

/**
 * /sign-in/callback: where the OIDC provider sends the browser back with a code (or an error).
 * Signed in, the console's routes move on to the role's home and the code leaves the address bar.
 */
export default function OidcCallbackPage() {
  const { t } = useLanguage();
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  // One exchange per visit: a code is good once, and React may run this effect twice in development.
  const exchange = useRef<Promise<Session> | null>(null);
  useEffect(() => {
    exchange.current ??= finishSignIn(new URL(window.location.href));
    let current = true;
    exchange.current.then(
      (session) => current && signIn(session),
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [signIn]);

  return (
    <div style={{ maxWidth: 520, margin: '0 auto', padding: '24px 12px' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t({ zh: '统一身份认证登录', en: 'Sign in with the county identity service' })}
        </Typography.Title>
        <LanguageSwitch />
      </Space>
      {error === null ? (
        <Result icon={<Spin size="large" />} title={t({ zh: '正在完成登录…', en: 'Finishing the sign-in…' })} />
      ) : (
        <>
          {error instanceof OidcError && <OidcFailureAlert error={error} />}
          {error instanceof ApiProblem && (
            <>
              <Typography.Paragraph>
                {t({
                  zh: '统一身份认证已通过，但本服务拒绝了该令牌：',
                  en: 'The identity provider signed you in, but this service refused the token:',
                })}
              </Typography.Paragraph>
              <ProblemAlert error={error} />
            </>
          )}
          {!(error instanceof OidcError) && !(error instanceof ApiProblem) && <ProblemAlert error={error} />}
          <Button type="primary" style={{ marginTop: 16 }} onClick={() => void navigate('/sign-in', { replace: true })}>
            {t({ zh: '返回登录页', en: 'Back to sign-in' })}
          </Button>
        </>
      )}
    </div>
  );
}
