import { householdPermissions } from './households.permissions';
import { roles, writePermission } from './permissions';

export const visitPermissions = {
  /** Who may record a visit: whoever may change households (then the responsible worker's rule). */
  write: householdPermissions.write,
  read: householdPermissions.read,
  setSchedulePolicy: writePermission(roles('admin')),
};
