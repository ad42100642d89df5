import { lazy } from 'react';
import type { RoleScreens } from '../role-screens';

/** The auditor's screens (issue 17). Each page is its own lazily loaded chunk. */
const Decisions = lazy(() => import('./DecisionsPage'));
const Decision = lazy(() => import('./DecisionPage'));
const CaseHistory = lazy(() => import('./CaseHistoryPage'));
const AuditRuns = lazy(() => import('./AuditRunsPage'));

export const screens: RoleScreens = {
  home: '/auditor/decisions',
  screens: [
    { path: '/auditor/decisions', menu: { zh: '救助决定', en: 'Decisions' }, element: <Decisions /> },
    { path: '/auditor/decisions/:id', element: <Decision /> },
    { path: '/auditor/cases/:id/history', element: <CaseHistory /> },
    { path: '/auditor/runs', menu: { zh: '审计运行', en: 'Audit runs' }, element: <AuditRuns /> },
  ],
};
