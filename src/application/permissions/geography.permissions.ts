import { anyAuthenticated, roles, writePolicy } from './permissions';

/**
 * The county bureau (admin) sets up geography. Everyone reads it, filtered to what their
 * jurisdiction lets them see (see the service).
 */
export const geographyPolicies = {
  write: writePolicy(roles('admin')),
  read: anyAuthenticated,
};
