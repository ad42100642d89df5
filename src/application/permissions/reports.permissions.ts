import type { Permission } from './permissions';

/**
 * The monthly reports carry names and amounts of every beneficiary of the county: the bureau
 * (admin, and the bureau officer role `civil_affairs_officer` where it exists) and auditors read
 * them; workers, evaluators and town users do not. Matched by name so the bureau role applies as
 * soon as it is added to the role list.
 */
const READERS = ['admin', 'civil_affairs_officer', 'auditor'];
export const reportsPermissions = {
  read: ((actor) => READERS.includes(actor.role)) as Permission<unknown>,
};
