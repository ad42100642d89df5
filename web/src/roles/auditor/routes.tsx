import { lazy } from 'react';
import type { RoleScreens } from '../role-screens';

/** The Audit screens (issue 17). Each page is its own lazily loaded chunk. */
const Home = lazy(() => import('./HomePage'));

export const screens: RoleScreens = {
  home: '/auditor',
  screens: [{ path: '/auditor', menu: { zh: '审计工作台', en: 'Audit' }, element: <Home /> }],
};
