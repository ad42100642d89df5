import { anyAuthenticated, roles, writePermission } from './permissions';

/**
 * The county bureau (admin) sets up geography. Everyone reads it, filtered to what their
 * jurisdiction lets them see (see the service).
 */
export const geographyPermissions = {
  write: writePermission(roles('admin')),
  read: anyAuthenticated,
};
