import type { Actor, Role } from './actor';
import { ForbiddenError } from './errors';

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

export const roles =
  (...allowed: Role[]): Policy<unknown> =>
  (actor) =>
    (allowed as string[]).includes(actor.role);

export const anyAuthenticated: Policy<unknown> = () => true;

/** Wraps a write policy so read-only roles are refused even if a policy forgets them. */
export const writePolicy =
  <Input>(policy: Policy<Input>): Policy<Input> =>
  (actor, input) =>
    !(READ_ONLY_ROLES as string[]).includes(actor.role) && policy(actor, input);
