import { describe, expect, it } from 'vitest';
import { evaluateEligibility } from '../../src/domain/assistance/eligibility/eligibility';
import { policy2023 } from './policy-fixtures';

const request = (father: string, mother: string, birthDate = '2014-09-01', decisionDate = '2023-07-01') => ({
  program: 'orphan',
  decisionDate,
  facts: { child: { personId: 'c1', birthDate }, father: { situation: father }, mother: { situation: mother } },
});

describe('孤儿 (orphan) eligibility', () => {
  it.each([
    ['dead', 'dead', 'eligible'],
    ['dead', 'declared_missing', 'eligible'],
    ['declared_missing', 'declared_missing', 'eligible'],
    ['dead', 'in_prison', 'ineligible'],
    ['none_of_these', 'dead', 'ineligible'],
  ])('father %s, mother %s → %s', (father, mother, outcome) => {
    expect(evaluateEligibility(policy2023, request(father, mother)).outcome).toBe(outcome);
  });

  it('pays the policy allowance, and stops at the age limit (the 18th birthday is not under 18)', () => {
    const granted = evaluateEligibility(policy2023, request('dead', 'dead'));
    expect(granted.amount).toMatchObject({ monthlyFen: 115_000 });
    expect(evaluateEligibility(policy2023, request('dead', 'dead', '2005-07-01')).rules[0]).toMatchObject({
      id: 'orphan.child_age_below_limit',
      passed: false,
    });
    expect(evaluateEligibility(policy2023, request('dead', 'dead', '2005-07-02')).outcome).toBe('eligible');
  });
});
