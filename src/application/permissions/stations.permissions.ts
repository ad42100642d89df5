import { anyAuthenticated, roles, writePolicy } from './permissions';

export const stationPolicies = { write: writePolicy(roles('admin')), read: anyAuthenticated };
