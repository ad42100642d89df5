import { anyAuthenticated, roles, writePolicy } from '../authorization';

/**
 * Who may do what in a case. Jurisdiction (the case's town, village or group) is checked by the
 * service on top of these role checks; the decider adds the conflict-of-interest rules.
 */
export const assistancePolicies = {
  setPolicy: writePolicy(roles('admin')),
  apply: writePolicy(roles('admin', 'county_worker', 'town_worker', 'village_worker')),
  accept: writePolicy(roles('admin', 'county_worker', 'town_worker')),
  investigate: writePolicy(roles('admin', 'county_worker', 'town_worker', 'village_worker')),
  notice: writePolicy(roles('admin', 'county_worker', 'town_worker')),
  /** The county decides (a town worker only temporary assistance within the town's limit: see the decider). */
  decide: writePolicy(roles('admin', 'county_worker', 'town_worker')),
  read: anyAuthenticated,
  /** Auditors replay; the bureau may too. */
  replay: roles('auditor', 'admin'),
};
