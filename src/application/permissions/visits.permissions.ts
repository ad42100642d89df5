import { householdPolicies } from './households.permissions';
import { roles, writePolicy } from './permissions';

export const visitPolicies = {
  /** Who may record a visit: whoever may change households (then the responsible worker's rule). */
  write: householdPolicies.write,
  read: householdPolicies.read,
  setSchedulePolicy: writePolicy(roles('admin')),
};
