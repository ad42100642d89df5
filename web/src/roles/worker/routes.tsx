import { CalendarOutlined, CheckSquareOutlined, ExclamationCircleOutlined, TeamOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RoleScreens } from '../role-screens';

/** The village / town worker's screens (issue 17), phone-sized first. Each page is its own chunk. */
const Overdue = lazy(() => import('./OverduePage'));
const DueThisWeek = lazy(() => import('./DueThisWeekPage'));
const Caseload = lazy(() => import('./CaseloadPage'));
const Tasks = lazy(() => import('./TasksPage'));
const Household = lazy(() => import('./HouseholdPage'));

export const screens: RoleScreens = {
  home: '/worker/overdue',
  screens: [
    { path: '/worker/overdue', menu: { zh: '逾期未访', en: 'Overdue' }, icon: <ExclamationCircleOutlined />, element: <Overdue /> },
    { path: '/worker/due', menu: { zh: '本周应访', en: 'Due this week' }, icon: <CalendarOutlined />, element: <DueThisWeek /> },
    { path: '/worker/caseload', menu: { zh: '我的小组与家庭', en: 'My groups & households' }, icon: <TeamOutlined />, element: <Caseload /> },
    { path: '/worker/tasks', menu: { zh: '核查任务', en: 'Tasks' }, icon: <CheckSquareOutlined />, element: <Tasks /> },
    { path: '/worker/households/:id', element: <Household /> },
  ],
};
