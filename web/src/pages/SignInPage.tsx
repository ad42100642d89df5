import { LoginOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, List, Space, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { ApiProblem, unwrap } from '../api/problem';
import type { components } from '../api/schema';
import { LanguageSwitch } from '../app/Shell';
import { ProblemAlert } from '../components/ProblemAlert';
import { Loading } from '../components/QueryState';
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
  const options = useQuery({
    queryKey: ['sign-in-options'],
    queryFn: async () => unwrap(await api.GET('/api/v1/auth/sign-in-options')),
    retry: false,
  });
  const offersDemo = options.data?.demo === true;
  const oidc = options.data?.oidc ?? null;
  return (
    <div style={{ maxWidth: 520, margin: '0 auto', padding: '24px 12px' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t({ zh: '社工站工作台', en: 'Social-work console' })}
        </Typography.Title>
        <LanguageSwitch />
      </Space>
      {options.isPending && <Loading />}
      {options.error && <ProblemAlert error={options.error} />}
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
    <Card size="small" style={{ marginBottom: 16 }}>
      <Button type="primary" size="large" block icon={<LoginOutlined />} loading={busy} onClick={() => void start()} data-testid="oidc-sign-in">
        {t({ zh: '统一身份认证登录', en: 'Sign in with the county identity service' })}
      </Button>
      {failure && <OidcFailureAlert error={failure} />}
    </Card>
  );
}

/** A failed sign-in at the provider, in the UI language, with the provider's own words beneath. */
export function OidcFailureAlert({ error }: { error: OidcError }) {
  const { t } = useLanguage();
  return (
    <Alert
      type={error.failure === 'cancelled' ? 'warning' : 'error'}
      showIcon
      role="alert"
      style={{ marginTop: 12 }}
      title={t(OIDC_FAILURE_TEXT[error.failure])}
      description={error.detail}
    />
  );
}

function DemoSignIn() {
  const demo = useQuery({
    queryKey: ['demo-users'],
    queryFn: async () => unwrap(await api.GET('/api/v1/demo/users')),
    // While the demo county loads (503), ask again every few seconds.
    retry: false,
    refetchInterval: (query) => (query.state.error instanceof ApiProblem && query.state.error.status === 503 ? 3000 : false),
  });
  if (demo.isPending) return <Loading />;
  if (demo.error) return <ProblemAlert error={demo.error} />;
  return <DemoUsers users={demo.data.items} countyDay={demo.data.countyDay} />;
}

function DemoUsers({ users, countyDay }: { users: DemoUser[]; countyDay: string }) {
  const { t, language } = useLanguage();
  const { signIn } = useSession();
  return (
    <Card title={t({ zh: '演示模式：选择一个身份登录', en: 'Demo mode: sign in as' })} size="small">
      <List
        dataSource={users}
        renderItem={(user) => (
          <List.Item
            actions={[
              <Button
                key="sign-in"
                type="primary"
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
              </Button>,
            ]}
          >
            <List.Item.Meta title={user.roleLabel[language]} description={[user.person?.name, user.area.label].filter(Boolean).join(' · ')} />
          </List.Item>
        )}
      />
    </Card>
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
  if (!open && !shown)
    return (
      <Button type="link" onClick={() => setShown(true)} style={{ marginTop: 8, paddingInline: 0 }}>
        {t({ zh: '使用令牌登录', en: 'Sign in with a token' })}
      </Button>
    );
  return (
    <Card title={t({ zh: '使用令牌登录', en: 'Sign in with a token' })} size="small" style={{ marginTop: 16 }}>
      <Form layout="vertical" onFinish={({ token }: { token: string }) => void submit(token)}>
        <Form.Item
          name="token"
          label={t({ zh: '访问令牌（Bearer）', en: 'Bearer token' })}
          rules={[{ required: true, message: t({ zh: '请粘贴令牌', en: 'Paste a token' }) }]}
        >
          <Input.TextArea rows={3} autoComplete="off" spellCheck={false} />
        </Form.Item>
        {invalid && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={t({ zh: '不是有效的令牌：需要含 sub 与 role 的 JWT', en: 'Not a usable token: a JWT with sub and role is needed' })}
          />
        )}
        {refused !== null && (
          <div style={{ marginBottom: 12 }}>
            <ProblemAlert error={refused} />
          </div>
        )}
        <Button type="primary" htmlType="submit" loading={checking}>
          {t({ zh: '登录', en: 'Sign in' })}
        </Button>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t({ zh: '令牌只保存在本标签页中，关闭即失效。', en: 'The token is kept in this tab only and is gone when it closes.' })}
        </Typography.Paragraph>
      </Form>
    </Card>
  );
}
