import { lazy } from 'react';
import type { RoleScreens } from '../role-screens';

/** The bureau's screens (admin, county worker; issue 17). Each page is its own lazily loaded chunk. */
const Coverage = lazy(() => import('./CoveragePage'));
const Stations = lazy(() => import('./StationsPage'));
const Workers = lazy(() => import('./WorkersPage'));
const Overdue = lazy(() => import('./OverduePage'));
const Cases = lazy(() => import('./CasesPage'));
const Statistics = lazy(() => import('./StatisticsPage'));
const Imports = lazy(() => import('./ImportsPage'));

export const screens: RoleScreens = {
  home: '/bureau/coverage',
  screens: [
    { path: '/bureau/coverage', menu: { zh: '服务覆盖', en: 'Coverage' }, element: <Coverage /> },
    { path: '/bureau/stations', menu: { zh: '站点与六有', en: 'Stations' }, element: <Stations /> },
    { path: '/bureau/workers', menu: { zh: '社工队伍', en: 'Workers' }, element: <Workers /> },
    { path: '/bureau/overdue', menu: { zh: '逾期走访', en: 'Overdue visits' }, element: <Overdue /> },
    { path: '/bureau/cases', menu: { zh: '案件队列', en: 'Case queue' }, element: <Cases /> },
    { path: '/bureau/statistics', menu: { zh: '统计月报', en: 'Statistics' }, element: <Statistics /> },
    { path: '/bureau/imports', menu: { zh: '数据导入', en: 'Data imports' }, element: <Imports /> },
  ],
};
