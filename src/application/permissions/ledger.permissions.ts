import { roles } from './permissions';

/** The ledger is the auditors' tool; admins run the service that writes it. */
export const ledgerPermissions = {
  read: roles('auditor', 'admin'),
};
