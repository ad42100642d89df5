import { anyAuthenticated, roles, writePermission } from './permissions';

/**
 * The bureau (admin) hires, posts, links and assigns workers. Reads are open to every role
 * but filtered by jurisdiction, and personal data is masked unless the role needs it.
 */
export const workforcePermissions = {
  write: writePermission(roles('admin')),
  read: anyAuthenticated,
  /** Who sees a worker's full ID number and phone: the employer. */
  seePersonalData: roles('admin'),
};
