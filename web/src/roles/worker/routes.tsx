import { lazy } from 'react';
import type { RoleScreens } from '../role-screens';

/** The village / town worker's screens (issue 17), phone-sized first. Each page is its own chunk. */
const Home = lazy(() => import('./HomePage'));

export const screens: RoleScreens = {
  home: '/worker',
  screens: [{ path: '/worker', menu: { zh: '我的工作', en: 'My work' }, element: <Home /> }],
};
