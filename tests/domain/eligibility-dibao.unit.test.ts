import { describe, expect, it } from 'vitest';
import { evaluateEligibility } from '../../src/domain/assistance/eligibility/eligibility';
import type { EligibilityResult } from '../../src/domain/assistance/eligibility/eligibility-result';
import { policy2023, policy2023With } from './policy-fixtures';

// Rural standard 564,000 fen/person/year: a household of 3 is at the line with 1,692,000 fen.
const LINE_3 = 3 * 564_000;

function household(income: number, overrides: Record<string, unknown> = {}) {
  return {
    program: 'dibao',
    decisionDate: '2023-06-15',
    facts: {
      residence: 'rural',
      members: [
        { personId: 'p1', birthDate: '1980-03-01', labourCapacity: 'partial' },
        { personId: 'p2', birthDate: '1982-07-09', labourCapacity: 'full' },
        { personId: 'p3', birthDate: '2012-11-30', labourCapacity: 'none' },
      ],
      incomes: [{ personId: 'p2', source: 'wages', fenPerYear: income }],
      property: { financialAssetsFen: 0, vehicles: 0, housingUnits: 1 },
      incomeStability: 'unstable',
      ...overrides,
    },
  };
}

const rule = (result: EligibilityResult, id: string) => result.rules.find((r) => r.id === id);
const monthly = (result: EligibilityResult) => (result.amount && 'monthlyFen' in result.amount ? result.amount.monthlyFen : undefined);

describe('低保 income rule', () => {
  it.each([
    ['well below the line', 1_200_000, 'eligible', 41_000], // (1,692,000 − 1,200,000) / 12
    ['one fen below the line', LINE_3 - 1, 'eligible', 1], // 1 fen a year, rounded up to 1 fen a month
    ['exactly at the line (strictly below is required)', LINE_3, 'ineligible', undefined],
    ['one fen above the line', LINE_3 + 1, 'ineligible', undefined],
    ['no income at all', 0, 'eligible', 141_000],
  ])('%s: income %i → %s, %s fen/month', (_, income, outcome, monthlyFen) => {
    const result = evaluateEligibility(policy2023, household(income));
    expect(result.outcome).toBe(outcome);
    expect(rule(result, 'dibao.income_below_standard')!.passed).toBe(outcome === 'eligible');
    expect(monthly(result)).toBe(monthlyFen);
  });

  it('does not count the sources the policy excludes', () => {
    const result = evaluateEligibility(
      policy2023,
      household(LINE_3 - 1, {
        incomes: [
          { personId: 'p2', source: 'wages', fenPerYear: LINE_3 - 1 },
          { personId: 'p1', source: 'disability_subsidy', fenPerYear: 50_000 },
          { source: 'award', fenPerYear: 20_000 },
        ],
      }),
    );
    expect(result.outcome).toBe('eligible');
    expect(rule(result, 'dibao.income_below_standard')!.inputs).toMatchObject({ countedIncomeFenPerYear: LINE_3 - 1, excludedIncomeFenPerYear: 70_000 });
  });

  it('explains the comparison with the numbers, in both languages', () => {
    const { reason } = rule(evaluateEligibility(policy2023, household(1_200_000)), 'dibao.income_below_standard')!;
    expect(reason.zh).toBe('家庭年收入12,000.00元（另有不计入收入0.00元），共3人，人均4,000.00元/年，低于农村低保标准5,640.00元/人·年');
    expect(reason.en).toBe(
      'household income CNY 12,000.00/year (CNY 0.00 not counted) for 3 members is CNY 4,000.00 per person per year, below the rural 低保 standard of CNY 5,640.00 per person per year',
    );
  });

  it('uses the urban standard for an urban household', () => {
    const result = evaluateEligibility(policy2023, household(3 * 852_000 - 1, { residence: 'urban' }));
    expect(result.outcome).toBe('eligible');
    expect(rule(result, 'dibao.income_below_standard')!.inputs.standardFenPerPersonYear).toBe(852_000);
  });

  it('shows the amount computation', () => {
    const { amount } = evaluateEligibility(policy2023, household(1_200_000));
    expect(amount).toEqual({
      monthlyFen: 41_000,
      computation: expect.objectContaining({
        values: {
          standardFenPerPersonYear: 564_000,
          members: 3,
          countedIncomeFenPerYear: 1_200_000,
          yearlyFen: 492_000,
          roundingUnitFen: 1,
          roundingMode: 'up',
          monthlyFen: 41_000,
        },
      }),
    });
    expect(amount!.computation.zh).toContain('= 4,920.00元');
  });
});

describe('低保 monthly rounding (a policy parameter)', () => {
  // yearly = 1,692,000 − 1,591,999 = 100,001 fen; ÷ 12 = 8,333.42 fen
  it.each([
    [1, 'up', 8_334],
    [1, 'half_up', 8_333],
    [1, 'down', 8_333],
    [100, 'up', 8_400],
    [100, 'half_up', 8_300],
    [10, 'half_up', 8_330],
  ] as const)('to %i fen, %s → %i', (unitFen, mode, expected) => {
    const policy = policy2023With((p) => ({ ...p, monthlyRounding: { unitFen, mode } }));
    expect(monthly(evaluateEligibility(policy, household(LINE_3 - 100_001)))).toBe(expected);
  });

  it('rounds an exact half up under half_up', () => {
    // yearly 6 fen → 0.5 fen a month
    const policy = policy2023With((p) => ({ ...p, monthlyRounding: { unitFen: 1, mode: 'half_up' } }));
    expect(monthly(evaluateEligibility(policy, household(LINE_3 - 6)))).toBe(1);
  });
});

describe('低保 property limits', () => {
  // financial assets: 2,000,000 fen per person → 6,000,000 for 3
  it.each([
    ['assets exactly at the limit', { financialAssetsFen: 6_000_000, vehicles: 0, housingUnits: 1 }, 'dibao.financial_assets_within_limit', true],
    ['assets one fen above', { financialAssetsFen: 6_000_001, vehicles: 0, housingUnits: 1 }, 'dibao.financial_assets_within_limit', false],
    ['one vehicle', { financialAssetsFen: 0, vehicles: 1, housingUnits: 1 }, 'dibao.vehicles_within_limit', false],
    ['no dwelling', { financialAssetsFen: 0, vehicles: 0, housingUnits: 0 }, 'dibao.housing_within_limit', true],
    ['two dwellings', { financialAssetsFen: 0, vehicles: 0, housingUnits: 2 }, 'dibao.housing_within_limit', false],
  ])('%s → %s passed = %s', (_, property, id, passed) => {
    const result = evaluateEligibility(policy2023, household(1_200_000, { property }));
    expect(rule(result, id)!.passed).toBe(passed);
    expect(result.outcome).toBe(passed ? 'eligible' : 'ineligible');
    expect(result.amount === undefined).toBe(!passed);
  });
});

describe('低保-margin households (低保边缘)', () => {
  // margin line for 3: 1.5 × 1,692,000 = 2,538,000
  it.each([
    ['eligible for 低保 itself', 1_200_000, undefined, false],
    ['exactly at the 低保 line', LINE_3, undefined, true],
    ['one fen below the margin line', 2_537_999, undefined, true],
    ['exactly at the margin line', 2_538_000, undefined, false],
    ['below the margin line but with a car', 2_000_000, { financialAssetsFen: 0, vehicles: 1, housingUnits: 1 }, false],
  ])('%s (income %i) → margin %s', (_, income, property, applies) => {
    const result = evaluateEligibility(policy2023, household(income, property ? { property } : {}));
    expect(result.dibaoMargin).toMatchObject({ id: 'dibao.margin_household', applies });
  });

  it('follows the policy multiplier', () => {
    const policy = policy2023With((p) => ({ ...p, dibao: { ...p.dibao, marginMultiplierBp: 12_000 } }));
    expect(evaluateEligibility(policy, household(2_100_000)).dibaoMargin!.applies).toBe(false); // 1.2 × 1,692,000 = 2,030,400
    expect(evaluateEligibility(policy, household(2_030_399)).dibaoMargin!.applies).toBe(true);
    expect(evaluateEligibility(policy, household(2_030_399)).dibaoMargin!.reason.zh).toContain('120%');
  });
});

describe('低保 facts validation', () => {
  it.each([
    ['no members', { members: [] }],
    ['an income of a non-member', { incomes: [{ personId: 'p9', source: 'wages', fenPerYear: 1 }] }],
    [
      'a member listed twice',
      {
        members: [
          { personId: 'p1', birthDate: '1980-03-01', labourCapacity: 'full' },
          { personId: 'p1', birthDate: '1980-03-01', labourCapacity: 'full' },
        ],
      },
    ],
    ['income with decimals', { incomes: [{ source: 'wages', fenPerYear: 100.5 }] }],
    ['a negative income', { incomes: [{ source: 'wages', fenPerYear: -1 }] }],
  ])('refuses %s', (_, overrides) => {
    expect(() => evaluateEligibility(policy2023, household(0, overrides))).toThrow(expect.objectContaining({ rule: 'eligibility.invalid_facts' }));
  });

  it('refuses a policy version that had not taken effect on the decision date', () => {
    expect(() => evaluateEligibility(policy2023, { ...household(0), decisionDate: '2022-12-31' })).toThrow(
      expect.objectContaining({ rule: 'eligibility.policy_not_in_force' }),
    );
  });
});
