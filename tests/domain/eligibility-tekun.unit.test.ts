import { describe, expect, it } from 'vitest';
import { evaluateEligibility } from '../../src/domain/assistance/eligibility/eligibility';
import type { EligibilityResult } from '../../src/domain/assistance/eligibility/eligibility-result';
import { policy2023With, policy2024 } from './policy-fixtures';

/** A person who meets every condition except, by default, the one under test. */
function applicant(
  overrides: { birthDate?: string; disabilities?: unknown[]; incomes?: unknown[]; supporters?: unknown[]; decisionDate?: string; residence?: string } = {},
) {
  return {
    program: 'tekun',
    decisionDate: overrides.decisionDate ?? '2024-05-10',
    facts: {
      residence: overrides.residence ?? 'rural',
      applicant: { personId: 'a1', birthDate: overrides.birthDate ?? '1950-01-01', disabilities: overrides.disabilities ?? [], labourCapacity: 'none' },
      incomes: overrides.incomes ?? [{ source: 'pension', fenPerYear: 120_000 }],
      supporters: overrides.supporters ?? [],
    },
  };
}

const rule = (result: EligibilityResult, id: string) => result.rules.find((r) => r.id === id)!;

describe('特困: no capacity to work', () => {
  const adult = '1980-01-01';
  it.each([
    ['59 the day before the 60th birthday', '1964-05-11', '2024-05-10', false, 59],
    ['60 on the birthday itself', '1964-05-10', '2024-05-10', true, 60],
    ['15 years 364 days old', '2008-05-11', '2024-05-10', true, 15],
    ['16 on the birthday itself', '2008-05-10', '2024-05-10', false, 16],
    ['born 29 Feb, the day before the 60th birthday', '1964-02-29', '2024-02-28', false, 59],
    ['born 29 Feb, 60th birthday on 29 Feb', '1964-02-29', '2024-02-29', true, 60],
    ['born 29 Feb, under 16 on 28 Feb', '2008-02-29', '2024-02-28', true, 15],
    ['born 29 Feb, 16 on 29 Feb', '2008-02-29', '2024-02-29', false, 16],
  ])('%s: born %s, decided %s → %s', (_, birthDate, decisionDate, passed, age) => {
    const r = rule(evaluateEligibility(policy2024, applicant({ birthDate, decisionDate })), 'tekun.no_capacity_to_work');
    expect(r.passed).toBe(passed);
    expect(r.inputs.ageInYears).toBe(age);
  });

  it.each([
    ['intellectual', 1, true],
    ['intellectual', 2, true],
    ['intellectual', 3, false],
    ['mental', 2, true],
    ['mental', 3, false],
    ['physical', 1, true],
    ['physical', 2, false],
    ['visual', 1, false],
    ['multiple', 1, false],
  ])('a %s disability of grade %i qualifies: %s', (type, grade, passed) => {
    const r = rule(evaluateEligibility(policy2024, applicant({ birthDate: adult, disabilities: [{ type, grade }] })), 'tekun.no_capacity_to_work');
    expect(r.passed).toBe(passed);
  });

  it('takes the qualifying types and grades from the policy', () => {
    const policy = policy2023With((p) => ({
      ...p,
      effectiveFrom: '2024-01-01',
      tekun: { ...p.tekun, qualifyingDisabilities: [{ type: 'visual', grades: [1] }] },
    }));
    expect(
      rule(evaluateEligibility(policy, applicant({ birthDate: adult, disabilities: [{ type: 'visual', grade: 1 }] })), 'tekun.no_capacity_to_work').passed,
    ).toBe(true);
    expect(
      rule(evaluateEligibility(policy, applicant({ birthDate: adult, disabilities: [{ type: 'intellectual', grade: 1 }] })), 'tekun.no_capacity_to_work')
        .passed,
    ).toBe(false);
  });

  it('reports one of several disabilities that qualifies', () => {
    const r = rule(
      evaluateEligibility(
        policy2024,
        applicant({
          birthDate: adult,
          disabilities: [
            { type: 'hearing', grade: 1 },
            { type: 'mental', grade: 2 },
          ],
        }),
      ),
      'tekun.no_capacity_to_work',
    );
    expect(r.passed).toBe(true);
    expect(r.inputs.qualifyingDisabilities).toEqual(['mental:2']);
    expect(r.reason.zh).toContain('听力残疾1级、精神残疾2级');
  });
});

describe('特困: no source of living', () => {
  // 2024 rural 低保 standard: 588,000 fen a year
  it.each([
    [587_999, true],
    [588_000, false],
    [600_000, false],
  ])('own income %i → %s', (fen, passed) => {
    expect(rule(evaluateEligibility(policy2024, applicant({ incomes: [{ source: 'pension', fenPerYear: fen }] })), 'tekun.no_source_of_living').passed).toBe(
      passed,
    );
  });

  it('does not count excluded sources', () => {
    const incomes = [
      { source: 'pension', fenPerYear: 587_999 },
      { source: 'disability_subsidy', fenPerYear: 100_000 },
    ];
    expect(rule(evaluateEligibility(policy2024, applicant({ incomes })), 'tekun.no_source_of_living').passed).toBe(true);
  });
});

describe('特困: no legal supporter able to support', () => {
  it.each([
    ['no supporter at all', [], true],
    ['a son in prison', [{ relation: 'child', incapacityReasons: ['in_prison'] }], true],
    [
      'a son in prison and a daughter able to support',
      [
        { relation: 'child', incapacityReasons: ['in_prison'] },
        { relation: 'child', incapacityReasons: [] },
      ],
      false,
    ],
    ['a spouse who is a 60+ 低保 beneficiary', [{ relation: 'spouse', incapacityReasons: ['dibao_aged_60_plus'] }], true],
  ])('%s → %s', (_, supporters, passed) => {
    const r = rule(evaluateEligibility(policy2024, applicant({ supporters })), 'tekun.no_able_supporter');
    expect(r.passed).toBe(passed);
  });

  it('counts only the incapacity reasons the policy accepts', () => {
    const policy = policy2023With((p) => ({ ...p, effectiveFrom: '2024-01-01', tekun: { ...p.tekun, supporterIncapacityReasons: ['in_prison', 'deceased'] } }));
    const r = rule(
      evaluateEligibility(policy, applicant({ supporters: [{ relation: 'child', incapacityReasons: ['provincial_rule'] }] })),
      'tekun.no_able_supporter',
    );
    expect(r.passed).toBe(false);
    expect(r.reason.en).toBe('child: able to support; 1 legal supporter(s) able to support');
  });
});

describe('特困: all three together', () => {
  it('grants the basic living standard ÷ 12, whatever the own income below the line', () => {
    const result = evaluateEligibility(policy2024, applicant());
    expect(result.outcome).toBe('eligible');
    expect(result.amount).toMatchObject({ monthlyFen: 63_700 }); // 764,400 / 12
    expect(result.rules.map((r) => r.id)).toEqual(['tekun.no_capacity_to_work', 'tekun.no_source_of_living', 'tekun.no_able_supporter']);
  });

  it('uses the urban standard for an urban applicant', () => {
    expect(evaluateEligibility(policy2024, applicant({ residence: 'urban' })).amount).toMatchObject({ monthlyFen: 94_900 }); // 1,138,800 / 12
  });

  it.each([
    ['able to work', { birthDate: '1980-01-01' }, 'tekun.no_capacity_to_work'],
    ['with a living', { incomes: [{ source: 'pension', fenPerYear: 700_000 }] }, 'tekun.no_source_of_living'],
    ['with an able supporter', { supporters: [{ relation: 'child', incapacityReasons: [] }] }, 'tekun.no_able_supporter'],
  ])('refuses an applicant %s, naming the failed rule', (_, overrides, failed) => {
    const result = evaluateEligibility(policy2024, applicant(overrides));
    expect(result.outcome).toBe('ineligible');
    expect(result.amount).toBeUndefined();
    expect(result.rules.filter((r) => !r.passed).map((r) => r.id)).toEqual([failed]);
  });
});
