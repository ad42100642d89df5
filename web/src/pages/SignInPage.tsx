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
import { sessionFromToken } from '../session/session';
import { useSession } from '../session/SessionContext';

type DemoUser = components['schemas']['DemoUser'];

/**
 * Signing in: in demo mode (DEMO=1) pick one of the demo users, one per role; otherwise paste a
 * bearer token (from `npm run token` or the county's identity provider).
 */
export function SignInPage() {
  const { t } = useLanguage();
  const demo = useQuery({
    queryKey: ['demo-users'],
    queryFn: async () => unwrap(await api.GET('/api/v1/demo/users')),
    // While the demo county loads (503), ask again every few seconds.
    retry: false,
    refetchInterval: (query) => (query.state.error instanceof ApiProblem && query.state.error.status === 503 ? 3000 : false),
  });
  const notDemo = demo.error instanceof ApiProblem && demo.error.status === 404;
  return (
    <div style={{ maxWidth: 520, margin: '0 auto', padding: '24px 12px' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t({ zh: '社工站工作台', en: 'Social-work console' })}
        </Typography.Title>
        <LanguageSwitch />
      </Space>
      {demo.isPending && <Loading />}
      {demo.data && <DemoUsers users={demo.data.items} countyDay={demo.data.countyDay} />}
      {demo.error && !notDemo && <ProblemAlert error={demo.error} />}
      <TokenSignIn open={notDemo} />
    </div>
  );
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
  const [shown, setShown] = useState(false);
  if (!open && !shown)
    return (
      <Button type="link" onClick={() => setShown(true)} style={{ marginTop: 8, paddingInline: 0 }}>
        {t({ zh: '使用令牌登录', en: 'Sign in with a token' })}
      </Button>
    );
  return (
    <Card title={t({ zh: '使用令牌登录', en: 'Sign in with a token' })} size="small" style={{ marginTop: 16 }}>
      <Form
        layout="vertical"
        onFinish={({ token }: { token: string }) => {
          const session = sessionFromToken(token);
          setInvalid(!session);
          if (session) signIn(session);
        }}
      >
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
        <Button type="primary" htmlType="submit">
          {t({ zh: '登录', en: 'Sign in' })}
        </Button>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t({ zh: '令牌只保存在本标签页中，关闭即失效。', en: 'The token is kept in this tab only and is gone when it closes.' })}
        </Typography.Paragraph>
      </Form>
    </Card>
  );
}
