import { writePermission, roles } from './permissions';
import { reportsPermissions } from './reports.permissions';

export const reserveFundPermissions = {
  /** The bureau allocates the towns' floats. */
  topUp: writePermission(roles('admin')),
  read: reportsPermissions.read,
};
