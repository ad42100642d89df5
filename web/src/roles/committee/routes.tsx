import { lazy } from 'react';
import type { RoleScreens } from '../role-screens';

/** The evaluation committee's screens (issue 17). Each page is its own lazily loaded chunk. */
const ScoreSheet = lazy(() => import('./ScoreSheetPage'));

export const screens: RoleScreens = {
  home: '/committee/scores',
  screens: [{ path: '/committee/scores', menu: { zh: '考核评分表', en: 'Score sheet' }, element: <ScoreSheet /> }],
};
