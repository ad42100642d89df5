import { describe, expect, it } from 'vitest';
import { evaluateEligibility } from '../../src/domain/assistance/eligibility/eligibility';
import { policy2023, policy2023With } from './policy-fixtures';

// The 2023-06-08 fire: relief applied for at once. Policy: max 10,000 yuan, town alone up to 3,000.
function request(requestedFen: number, overrides: Record<string, unknown> = {}, decisionDate = '2023-06-08') {
  return {
    program: 'temporary',
    decisionDate,
    facts: { cause: 'fire', description: '房屋失火', occurredOn: '2023-06-08', requestedFen, emergency: true, ...overrides },
  };
}

describe('临时救助', () => {
  it.each([
    [200_000, 200_000, 'town'],
    [300_000, 300_000, 'town'], // exactly the town's limit
    [300_001, 300_001, 'county'],
    [1_000_000, 1_000_000, 'county'],
    [1_500_000, 1_000_000, 'county'], // above the maximum: the maximum is granted
  ])('requested %i → granted %i, approved by the %s', (requestedFen, oneOffFen, level) => {
    const result = evaluateEligibility(policy2023, request(requestedFen));
    expect(result.outcome).toBe('eligible');
    expect(result.amount).toMatchObject({ oneOffFen, computation: { values: { requestedFen, maxOneOffFen: 1_000_000, oneOffFen } } });
    expect(result.approval).toMatchObject({ level, inputs: { oneOffFen, townApprovalLimitFen: 300_000 } });
  });

  it.each(['fire', 'accident', 'illness', 'disaster', 'other'])('covers %s by default', (cause) => {
    expect(evaluateEligibility(policy2023, request(1_000, { cause })).outcome).toBe('eligible');
  });

  it('refuses a cause the policy does not cover', () => {
    const policy = policy2023With((p) => ({ ...p, temporary: { ...p.temporary, qualifyingCauses: ['fire', 'disaster'] } }));
    const result = evaluateEligibility(policy, request(1_000, { cause: 'illness' }));
    expect(result).toMatchObject({ outcome: 'ineligible', rules: [{ id: 'temporary.cause_qualifies', passed: false }, { passed: true }] });
    expect(result.amount).toBeUndefined();
    expect(result.approval).toBeUndefined();
  });

  it('refuses a hardship dated after the decision', () => {
    const result = evaluateEligibility(policy2023, request(1_000, {}, '2023-06-07'));
    expect(result.rules.find((r) => r.id === 'temporary.hardship_occurred')!.passed).toBe(false);
  });

  it('explains the cap', () => {
    expect(evaluateEligibility(policy2023, request(1_500_000)).amount!.computation.zh).toBe('申请15,000.00元，政策上限10,000.00元，按上限给予10,000.00元');
  });

  it('refuses a zero request as invalid facts', () => {
    expect(() => evaluateEligibility(policy2023, request(0))).toThrow(expect.objectContaining({ rule: 'eligibility.invalid_facts' }));
  });
});
