import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { LanguageProvider, useLanguage } from '../i18n/LanguageContext';
import { SignInPage } from '../pages/SignInPage';
import { Loading } from '../components/QueryState';
import { screensOf } from '../roles';
import { SessionProvider, useSession } from '../session/SessionContext';
import { createQueryClient } from './query-client';
import { Shell } from './Shell';

/** The OIDC provider's redirect back; it and the OIDC library load only when someone comes back from it. */
const OidcCallbackPage = lazy(() => import('../pages/OidcCallbackPage'));

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <LanguageProvider>
        <SessionProvider>
          <Localized>
            <BrowserRouter>
              <ConsoleRoutes />
            </BrowserRouter>
          </Localized>
        </SessionProvider>
      </LanguageProvider>
    </QueryClientProvider>
  );
}

function Localized({ children }: { children: React.ReactNode }) {
  const { language } = useLanguage();
  return (
    <ConfigProvider locale={language === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1f6f5c' } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** Signed out: the sign-in page. Signed in: the shell with the role's screens, each loaded when first opened. */
function ConsoleRoutes() {
  const { session } = useSession();
  if (!session) {
    return (
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route
          path="/sign-in/callback"
          element={
            <Suspense fallback={<Loading />}>
              <OidcCallbackPage />
            </Suspense>
          }
        />
        <Route path="*" element={<Navigate to="/sign-in" replace />} />
      </Routes>
    );
  }
  const role = screensOf(session.role);
  return (
    <Routes>
      <Route element={<Shell screens={role.screens} />}>
        {role.screens.map((screen) => (
          <Route key={screen.path} path={screen.path} element={screen.element} />
        ))}
      </Route>
      <Route path="*" element={<Navigate to={role.home} replace />} />
    </Routes>
  );
}
