import { anyAuthenticated, roles, writePermission } from './permissions';

export const stationPermissions = { write: writePermission(roles('admin')), read: anyAuthenticated };
