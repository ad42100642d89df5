import { LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, Segmented, Space, Typography } from 'antd';
import { Suspense, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Loading } from '../components/QueryState';
import type { Language } from '../i18n/language';
import { useLanguage } from '../i18n/LanguageContext';
import type { Screen } from '../roles/role-screens';
import { useSession } from '../session/SessionContext';

/**
 * The frame of every signed-in screen: title, language switch, who is signed in, the role's menu
 * (a side menu on a desk, a drawer on a phone) and the screen, loaded on first visit.
 */
export function Shell({ screens }: { screens: Screen[] }) {
  const { t } = useLanguage();
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const phone = !Grid.useBreakpoint().md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const items = screens.filter((s) => s.menu).map((s) => ({ key: s.path, icon: s.icon, label: t(s.menu!) }));
  const selected = screens
    .filter((s) => s.menu && location.pathname.startsWith(s.path))
    .sort((a, b) => b.path.length - a.path.length)
    .map((s) => s.path)
    .slice(0, 1);
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected}
      items={items}
      onClick={({ key }) => {
        setDrawerOpen(false);
        void navigate(key);
      }}
    />
  );
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 8, padding: phone ? '0 8px' : '0 24px', background: '#1f6f5c' }}>
        {phone && (
          <Button
            type="text"
            aria-label={t({ zh: '菜单', en: 'Menu' })}
            icon={<MenuOutlined style={{ color: '#fff' }} />}
            onClick={() => setDrawerOpen(true)}
          />
        )}
        <Typography.Text
          strong
          style={{ color: '#fff', fontSize: phone ? 15 : 17, flex: 1, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}
        >
          {t({ zh: '社工站工作台', en: 'Social-work console' })}
        </Typography.Text>
        <Space size={phone ? 4 : 12}>
          <LanguageSwitch />
          {!phone && session && (
            <Typography.Text style={{ color: '#fff' }} data-testid="signed-in-as">
              {session.displayName}
              {session.area ? ` · ${session.area.label}` : ''}
            </Typography.Text>
          )}
          <Button type="text" icon={<LogoutOutlined style={{ color: '#fff' }} />} aria-label={t({ zh: '退出', en: 'Sign out' })} onClick={signOut} />
        </Space>
      </Layout.Header>
      <Layout>
        {!phone && (
          <Layout.Sider width={200} theme="light">
            {menu}
          </Layout.Sider>
        )}
        <Drawer open={phone && drawerOpen} onClose={() => setDrawerOpen(false)} placement="left" size={240} title={session?.displayName}>
          {menu}
        </Drawer>
        <Layout.Content style={{ padding: phone ? 8 : 24, minWidth: 0 }}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

export function LanguageSwitch() {
  const { language, setLanguage } = useLanguage();
  return (
    <Segmented<Language>
      size="small"
      value={language}
      options={[
        { value: 'zh', label: '中' },
        { value: 'en', label: 'EN' },
      ]}
      onChange={(value) => setLanguage(value)}
    />
  );
}
