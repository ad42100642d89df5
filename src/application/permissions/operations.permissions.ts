import { roles, writePermission } from './permissions';

/** Operating the service itself: projections and the integrity of the log. */
export const operationsPermissions = {
  viewProjections: roles('admin', 'auditor'),
  rebuildProjection: writePermission(roles('admin')),
  verifyLog: roles('admin', 'auditor'),
  /** A backup holds every record, personal data included: admin only. */
  backup: roles('admin'),
};
