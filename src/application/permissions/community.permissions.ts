import { anyAuthenticated, roles, writePermission } from './permissions';

/**
 * Community resources are run by the stations: the bureau (admin) everywhere, county workers in
 * the towns they link, town workers in their town. Village workers record visits, not community
 * resources (their town's worker does); auditors and evaluators only read (writePermission).
 * Everyone signed in reads, narrowed to their jurisdiction.
 */
export const communityPermissions = {
  write: writePermission(roles('admin', 'county_worker', 'town_worker')),
  read: anyAuthenticated,
};
