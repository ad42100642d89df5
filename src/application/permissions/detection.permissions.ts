import type { Actor } from '../actor';
import { visibleClasses } from '../privacy/data-classes';
import { anyAuthenticated, roles, writePermission } from './permissions';

/**
 * Who may do what in proactive detection.
 * - Imports: the bureau (admin) only. Department data arrives under county-level data-sharing
 *   arrangements and covers the whole county, while a county worker's jurisdiction is the towns
 *   they link; a file (and its rejections) would show them people outside it.
 * - Import reports and rejections (row, field, message — never a value): admin, auditors and
 *   evaluators, who read everything and write nothing.
 * - Findings and tasks: everyone reads, within their jurisdiction; outcomes and placement are
 *   writes, so auditors and evaluators are refused whatever else a check says.
 */
export const detectionPermissions = {
  import: writePermission(roles('admin')),
  readImports: roles('admin', 'auditor', 'evaluator'),
  read: anyAuthenticated,
  act: writePermission(roles('admin', 'county_worker', 'town_worker', 'village_worker')),
  setPolicy: writePermission(roles('admin')),
};

/** Who sees full ID numbers, names and reasons (health data): the roles the one policy table lets read both about beneficiaries. */
export function needsPersonalData(actor: Actor): boolean {
  const classes = visibleClasses(actor.role, 'beneficiary', 'inside');
  return classes.has('identity') && classes.has('health');
}
