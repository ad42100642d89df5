import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { PlainLoading } from '../components/Plain';
import { LanguageProvider } from '../i18n/LanguageContext';
import { SignInPage } from '../pages/SignInPage';
import { SessionProvider, useSession } from '../session/SessionContext';
import { createQueryClient } from './query-client';

/**
 * The signed-in screens and antd load after signing in; the sign-in page is plain HTML
 * (components/Plain.tsx), so the first screen waits for neither (issue 17: interactive under 2 s).
 */
const SignedInConsole = lazy(() => import('./SignedInConsole'));
/** The OIDC provider's redirect back; it and the OIDC library load only when someone comes back from it. */
const OidcCallbackPage = lazy(async () => {
  const [{ default: Page }, { Localized }] = await Promise.all([import('../pages/OidcCallbackPage'), import('./Localized')]);
  return {
    default: () => (
      <Localized>
        <Page />
      </Localized>
    ),
  };
});

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <LanguageProvider>
        <SessionProvider>
          <BrowserRouter>
            <ConsoleRoutes />
          </BrowserRouter>
        </SessionProvider>
      </LanguageProvider>
    </QueryClientProvider>
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
            <Suspense fallback={<PlainLoading />}>
              <OidcCallbackPage />
            </Suspense>
          }
        />
        <Route path="*" element={<Navigate to="/sign-in" replace />} />
      </Routes>
    );
  }
  return (
    <Suspense fallback={<PlainLoading />}>
      <SignedInConsole session={session} />
    </Suspense>
  );
}
