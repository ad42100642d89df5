import type { Actor } from '../actor';
import { roles, writePolicy, type Policy } from './permissions';

/**
 * The evaluation committee is a read-only role everywhere else; here it is the one that writes
 * (assessments, outcomes), so those policies are deliberately not wrapped in writePolicy.
 */
export const performancePolicies = {
  setScoringPolicy: writePolicy(roles('admin')),
  assess: roles('evaluator') as Policy<unknown>,
  publish: roles('evaluator', 'admin') as Policy<unknown>,
  /** Everyone's scores: the bureau, the committee, auditors, county workers. */
  readAll: roles('admin', 'evaluator', 'auditor', 'county_worker') as Policy<unknown>,
  /** A worker may read their own score and explanation. */
  readWorker: ((actor: Actor, workerId: string) =>
    ['admin', 'evaluator', 'auditor', 'county_worker'].includes(actor.role) || actor.id === workerId) as Policy<string>,
};
