import { DomainRuleViolation } from '../../domain/shared/errors';

/**
 * A duplicate found outside the caller's area: refused without a household, volunteer or
 * person id, so the refusal cannot be used to learn where (or whether exactly) someone is
 * registered. Only the town or the county can tell.
 */
export function registeredElsewhere(kind: 'person' | 'volunteer'): DomainRuleViolation {
  return new DomainRuleViolation(
    `${kind}.registered_elsewhere`,
    '此人已在其他地区登记，请向乡镇或县民政部门查询（registered elsewhere; ask the town or county）',
    {},
  );
}
