import type { ReactNode } from 'react';
import type { Bilingual } from '../i18n/language';
import type { Role } from '../session/session';

/** One menu entry and the screen it opens. */
export interface Screen {
  /** Absolute path, under the role folder's prefix (e.g. /worker/overdue). */
  path: string;
  /** Shown in the menu when set; screens without one (a household page) are reached by links. */
  menu?: Bilingual;
  icon?: ReactNode;
  element: ReactNode;
}

/** What a role folder (web/src/roles/<folder>/routes.tsx) gives the shell. */
export interface RoleScreens {
  /** Where the role lands after signing in. */
  home: string;
  screens: Screen[];
}

/** Which folder's screens each role sees. */
export type RoleFolder = 'worker' | 'bureau' | 'auditor' | 'committee';

export const FOLDER_OF_ROLE: Record<Role, RoleFolder> = {
  village_worker: 'worker',
  town_worker: 'worker',
  admin: 'bureau',
  county_worker: 'bureau',
  civil_affairs_officer: 'bureau',
  town_official: 'bureau',
  auditor: 'auditor',
  evaluator: 'committee',
};
