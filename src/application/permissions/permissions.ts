import type { Actor, Role } from '../actor';
import { ForbiddenError } from '../errors';

/**
 * One policy function per command or query: does this actor, in this role and jurisdiction,
 * may act on this input? Later features fill jurisdictions in from worker assignments.
 */
export type Policy<Input = void> = (actor: Actor, input: Input) => boolean | Promise<boolean>;

export async function authorize<Input>(actor: Actor, policy: Policy<Input>, input: Input, what: string): Promise<void> {
  if (!(await policy(actor, input))) throw new ForbiddenError(`role ${actor.role} may not ${what}`);
}

/** Roles that only read: they never write domain data, whatever a policy says. */
export const READ_ONLY_ROLES: readonly Role[] = ['auditor', 'evaluator'];

/**
 * A policy that depends on the role alone says so: `allowedRoles` lets the HTTP edge refuse
 * every other role before it reads the body (see src/http/plugins/role-gate.ts).
 */
export type RolePolicy<Input = unknown> = Policy<Input> & { readonly allowedRoles?: readonly Role[] };

export const roles = (...allowed: Role[]): RolePolicy<unknown> =>
  Object.assign((actor: Actor) => (allowed as string[]).includes(actor.role), { allowedRoles: allowed as readonly Role[] });

export const anyAuthenticated: Policy<unknown> = () => true;

/** Wraps a write policy so read-only roles are refused even if a policy forgets them. */
export const writePolicy = <Input>(policy: Policy<Input>): RolePolicy<Input> => {
  const wrapped: Policy<Input> = (actor, input) => !(READ_ONLY_ROLES as string[]).includes(actor.role) && policy(actor, input);
  const inner = (policy as RolePolicy<Input>).allowedRoles;
  return inner ? Object.assign(wrapped, { allowedRoles: inner.filter((r) => !READ_ONLY_ROLES.includes(r)) }) : wrapped;
};

/** The roles a policy admits whatever the input, when it depends on the role alone. */
export const allowedRolesOf = (policy: Policy<any>): readonly Role[] | undefined => (policy as RolePolicy<any>).allowedRoles;
