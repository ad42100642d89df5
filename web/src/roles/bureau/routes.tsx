import { lazy } from 'react';
import type { RoleScreens } from '../role-screens';

/** The Bureau screens (issue 17). Each page is its own lazily loaded chunk. */
const Home = lazy(() => import('./HomePage'));

export const screens: RoleScreens = {
  home: '/bureau',
  screens: [{ path: '/bureau', menu: { zh: '民政局工作台', en: 'Bureau' }, element: <Home /> }],
};
