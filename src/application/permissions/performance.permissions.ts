import type { Actor } from '../actor';
import { roles, writePermission, type Permission } from './permissions';

/**
 * The evaluation committee is a read-only role everywhere else; here it is the one that writes
 * (assessments, outcomes), so those policies are deliberately not wrapped in writePermission.
 */
export const performancePermissions = {
  setScoringPolicy: writePermission(roles('admin')),
  assess: roles('evaluator') as Permission<unknown>,
  publish: roles('evaluator', 'admin') as Permission<unknown>,
  /** Everyone's scores: the bureau, the committee, auditors, county workers. */
  readAll: roles('admin', 'evaluator', 'auditor', 'county_worker') as Permission<unknown>,
  /** A worker may read their own score and explanation. */
  readWorker: ((actor: Actor, workerId: string) =>
    ['admin', 'evaluator', 'auditor', 'county_worker'].includes(actor.role) || actor.id === workerId) as Permission<string>,
};
