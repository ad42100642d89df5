import { Navigate, Route, Routes } from 'react-router-dom';
import { screensOf } from '../roles';
import type { Session } from '../session/session';
import { Localized } from './Localized';
import { Shell } from './Shell';

/**
 * Signed in: the shell with the role's screens, each loaded when first opened. Its own chunk with
 * antd, loaded after signing in (and fetched ahead while the sign-in page waits: next-screen.ts),
 * so the sign-in page does not wait for antd.
 */
export default function SignedInConsole({ session }: { session: Session }) {
  const role = screensOf(session.role);
  return (
    <Localized>
      <Routes>
        <Route element={<Shell screens={role.screens} />}>
          {role.screens.map((screen) => (
            <Route key={screen.path} path={screen.path} element={screen.element} />
          ))}
        </Route>
        <Route path="*" element={<Navigate to={role.home} replace />} />
      </Routes>
    </Localized>
  );
}
