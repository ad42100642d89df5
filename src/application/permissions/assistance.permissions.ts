import { anyAuthenticated, roles, writePermission } from './permissions';

/**
 * Who may do what in a case. Jurisdiction (the case's town, village or group) is checked by the
 * service on top of these role checks; the decider adds the conflict-of-interest rules.
 */
export const assistancePermissions = {
  setPolicy: writePermission(roles('admin')),
  apply: writePermission(roles('admin', 'county_worker', 'town_worker', 'village_worker')),
  /** 受理 is the town government's; the town's social workers prepare it for them. */
  accept: writePermission(roles('admin', 'town_official', 'county_worker', 'town_worker')),
  investigate: writePermission(roles('admin', 'county_worker', 'town_worker', 'village_worker')),
  notice: writePermission(roles('admin', 'town_official', 'county_worker', 'town_worker')),
  /** 报送: the town's social worker submits the prepared case. */
  submit: writePermission(roles('admin', 'town_worker')),
  /** 审核把关: the county worker linked to the town checks, forwards or returns. */
  check: writePermission(roles('admin', 'county_worker')),
  /**
   * 审核确认 belongs to government: the bureau, or the town government where the policy delegates
   * it (which program, up to which amount: the case-procedure policy, checked in the decider).
   * Contracted social workers prepare, investigate, check and submit, but never confirm. `admin`
   * is the bureau itself (县民政局) and confirms as its officers do.
   */
  decide: writePermission(roles('admin', 'civil_affairs_officer', 'town_official')),
  /** Payments go out under the authority that confirmed them. */
  pay: writePermission(roles('admin', 'civil_affairs_officer', 'town_official')),
  read: anyAuthenticated,
  /** Auditors replay; the bureau may too. */
  replay: roles('auditor', 'admin'),
};
