import type { RuleId } from './rule-messages';

/**
 * A command broke a business rule. `rule` is a stable, dotted identifier clients can switch on
 * (e.g. `town.already_registered`); it becomes part of the problem `type` URI (HTTP 422).
 */
export class DomainRuleViolation extends Error {
  constructor(
    readonly rule: RuleId,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainRuleViolation';
  }
}

/** A command arrived in a state that does not accept it; names the state and what is allowed. */
export class IllegalStateError extends DomainRuleViolation {
  constructor(
    rule: RuleId,
    message: string,
    readonly state: string,
    readonly allowed: readonly string[],
  ) {
    super(rule, message, { state, allowed });
    this.name = 'IllegalStateError';
  }
}
