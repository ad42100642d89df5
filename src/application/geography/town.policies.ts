import { anyAuthenticated, roles, writePolicy } from '../authorization';

/** Who may do what with towns. The county bureau (admin) sets up geography; everyone reads it. */
export const townPolicies = {
  register: writePolicy(roles('admin')),
  read: anyAuthenticated,
};
