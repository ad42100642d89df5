import { lazy } from 'react';
import type { RoleScreens } from '../role-screens';

/** The Evaluation committee screens (issue 17). Each page is its own lazily loaded chunk. */
const Home = lazy(() => import('./HomePage'));

export const screens: RoleScreens = {
  home: '/committee',
  screens: [{ path: '/committee', menu: { zh: '考核评议工作台', en: 'Evaluation committee' }, element: <Home /> }],
};
