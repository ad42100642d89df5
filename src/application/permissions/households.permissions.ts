import { anyAuthenticated, roles, writePermission } from './permissions';

export const householdPermissions = {
  /** Workers manage households in their jurisdiction; the bureau everywhere. */
  write: writePermission(roles('admin', 'county_worker', 'town_worker', 'village_worker')),
  read: anyAuthenticated,
};
