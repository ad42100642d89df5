import { anyAuthenticated, roles, writePolicy } from './permissions';

export const householdPolicies = {
  /** Workers manage households in their jurisdiction; the bureau everywhere. */
  write: writePolicy(roles('admin', 'county_worker', 'town_worker', 'village_worker')),
  read: anyAuthenticated,
};
