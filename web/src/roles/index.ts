import type { Role } from '../session/session';
import { screens as auditor } from './auditor/routes';
import { screens as bureau } from './bureau/routes';
import { screens as committee } from './committee/routes';
import { FOLDER_OF_ROLE, type RoleScreens } from './role-screens';
import { screens as worker } from './worker/routes';

/** Every role folder's screens; only the route table is here, each page loads on first visit. */
const BY_FOLDER = { worker, bureau, auditor, committee } as const;

export const screensOf = (role: Role): RoleScreens => BY_FOLDER[FOLDER_OF_ROLE[role]];
