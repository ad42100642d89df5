/**
 * Authorization rules, called permissions (issue 18): this file holds the machinery (authorize, roles,
 * writePermission); `<slice>.permissions.ts` beside it the rules of each slice. "Policy" in this
 * codebase means versioned rule data (assistance, schedule, detection, scoring policies).
 */
import type { Actor, Role } from '../actor';
import { ForbiddenError } from '../errors';

/**
 * One permission (a function) per command or query: does this actor, in this role and jurisdiction,
 * may act on this input? Later features fill jurisdictions in from worker assignments.
 */
export type Permission<Input = void> = (actor: Actor, input: Input) => boolean | Promise<boolean>;

export async function authorize<Input>(actor: Actor, permission: Permission<Input>, input: Input, what: string): Promise<void> {
  if (!(await permission(actor, input))) throw new ForbiddenError(`role ${actor.role} may not ${what}`);
}

/** Roles that only read: they never write domain data, whatever a permission says. */
export const READ_ONLY_ROLES: readonly Role[] = ['auditor', 'evaluator'];

/**
 * A permission that depends on the role alone says so: `allowedRoles` lets the HTTP edge refuse
 * every other role before it reads the body (see src/http/plugins/role-gate.ts).
 */
export type RolePermission<Input = unknown> = Permission<Input> & { readonly allowedRoles?: readonly Role[] };

export const roles = (...allowed: Role[]): RolePermission<unknown> =>
  Object.assign((actor: Actor) => (allowed as string[]).includes(actor.role), { allowedRoles: allowed });

export const anyAuthenticated: Permission<unknown> = () => true;

/** Wraps a write permission so read-only roles are refused even if a permission forgets them. */
export const writePermission = <Input>(permission: Permission<Input>): RolePermission<Input> => {
  const wrapped: Permission<Input> = (actor, input) => !(READ_ONLY_ROLES as string[]).includes(actor.role) && permission(actor, input);
  const inner = (permission as RolePermission<Input>).allowedRoles;
  return inner ? Object.assign(wrapped, { allowedRoles: inner.filter((r) => !READ_ONLY_ROLES.includes(r)) }) : wrapped;
};

/** The roles a permission admits whatever the input, when it depends on the role alone. */
export const allowedRolesOf = (permission: Permission<never>): readonly Role[] | undefined => (permission as RolePermission<never>).allowedRoles;
