import { roles, writePolicy } from './permissions';

/** Operating the service itself: projections and the integrity of the log. */
export const operationsPolicies = {
  viewProjections: roles('admin', 'auditor'),
  rebuildProjection: writePolicy(roles('admin')),
  verifyLog: roles('admin', 'auditor'),
  /** A backup holds every record, personal data included: admin only. */
  backup: roles('admin'),
};
